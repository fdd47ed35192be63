using System.Diagnostics;
using System.Globalization;
using System.Text;
using ConfUpdate.Harness.Checks;
using ConfUpdate.Protocol;

namespace ConfUpdate.Harness.Stress;

/// <summary>
/// Crash consistency: a stream of versioned REPLACEs, SIGKILLed at a random moment, N times. After each
/// kill the target holds exactly one version that was sent, not older than the last one acknowledged
/// (SPEC DUR-1, DUR-5), with the configured owner, group and mode (TGT-3); after each restart, once the
/// server answers, no temporary file is left (DUR-6).
/// </summary>
internal static class CrashCheck
{
    /// <summary>The SPEC requirements this check exercises.</summary>
    public static readonly IReadOnlyList<string> Requirements = ["DUR-1", "DUR-5", "DUR-6", "TGT-3", "LIFE-2"];

    private const int MinContent = 64;
    private const int MaxContent = 60_000;
    private const int MaxKillDelayMs = 250;
    private const int MaxFailuresKept = 5;

    /// <summary>The exact content of version <paramref name="version"/>: a header naming it, then seeded filler of a seeded size.</summary>
    public static byte[] Content(int seed, int version)
    {
        var random = new Random(HashCode.Combine(seed, version));
        byte[] header = Encoding.ASCII.GetBytes(string.Create(CultureInfo.InvariantCulture, $"version {version}\n"));
        byte[] content = new byte[Math.Max(header.Length, random.Next(MinContent, MaxContent + 1))];
        random.NextBytes(content);
        header.CopyTo(content, 0);
        return content;
    }

    public static async Task<StressResult> RunAsync(StressOptions options, IProgress<StressProgress> progress, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var random = new Random(options.Seed);
        var failures = new List<string>();
        int torn = 0, lost = 0, wrongAttributes = 0, leftTemp = 0, acknowledged = 0, absentAfterAck = 0;
        int version = 0, lastAcknowledged = -1;
        await using StressSession session = StressSession.Create(options, "crash", onTmpfs: false);
        await session.StartAsync(cancellationToken).ConfigureAwait(false);
        for (int kill = 0; kill < options.CrashKills; kill++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            progress.Report(new StressProgress(StressCheck.Crash, kill, options.CrashKills, $"kill {kill + 1}: {acknowledged} acknowledged so far"));
            int delayMs = random.Next(0, MaxKillDelayMs);
            int firstThisRound = version;
            using var stop = new CancellationTokenSource();
            using StressClient client = await session.ConnectAsync(cancellationToken).ConfigureAwait(false);
            Task writer = Task.Run(async () =>
            {
                while (!stop.IsCancellationRequested)
                {
                    int v = Volatile.Read(ref version);
                    byte[] datagram = RequestCodec.Encode(new ReplaceRequest((uint)v, StressSession.TargetName, Content(options.Seed, v)));
                    Interlocked.Increment(ref version);
                    StressReply? reply;
                    try
                    {
                        reply = await client.RequestAsync(datagram, options.ReplyTimeout, CancellationToken.None).ConfigureAwait(false);
                    }
                    catch (Exception ex) when (ex is System.Net.Sockets.SocketException or TimeoutException or ObjectDisposedException)
                    {
                        return;
                    }

                    if (reply is null)
                    {
                        return;
                    }

                    if (reply.Status == (int)Status.Ok)
                    {
                        Volatile.Write(ref lastAcknowledged, v);
                        Interlocked.Increment(ref acknowledged);
                    }
                }
            }, CancellationToken.None);

            await Task.Delay(delayMs, cancellationToken).ConfigureAwait(false);
            await session.KillAsync().ConfigureAwait(false);
            stop.Cancel();
            await writer.ConfigureAwait(false);
            int lastSent = Volatile.Read(ref version) - 1;
            int acked = Volatile.Read(ref lastAcknowledged);

            // What the kill left: one whole version in [last acknowledged, last sent].
            string? problem = Examine(options, session, acked, lastSent, ref torn, ref lost, ref wrongAttributes, ref absentAfterAck);
            if (problem is not null && failures.Count < MaxFailuresKept)
            {
                failures.Add(string.Create(CultureInfo.InvariantCulture, $"kill {kill + 1} (after {delayMs} ms, versions {firstThisRound}..{lastSent} sent, {acked} last acknowledged): {problem}"));
            }

            await session.StartAsync(cancellationToken).ConfigureAwait(false);
            // Once the server answers, it has accepted, and DUR-6 says recovery comes before that.
            using (StressClient hello = await session.ConnectAsync(cancellationToken).ConfigureAwait(false))
            {
                _ = await hello.RequestAsync(RequestCodec.Encode(new HelloRequest(1)), options.ReplyTimeout, cancellationToken).ConfigureAwait(false);
            }

            string[] temps = session.TemporaryFiles();
            if (temps.Length > 0)
            {
                leftTemp += temps.Length;
                if (failures.Count < MaxFailuresKept)
                {
                    failures.Add($"after restart {kill + 1}: temporary files left in the target directory: {string.Join(", ", temps.Take(3))} (SPEC DUR-6)");
                }
            }
        }

        progress.Report(new StressProgress(StressCheck.Crash, options.CrashKills, options.CrashKills, "done"));
        return new StressResult(StressCheck.Crash, Requirements)
        {
            Summary = string.Create(CultureInfo.InvariantCulture,
                $"{options.CrashKills} SIGKILLs, {acknowledged} REPLACEs acknowledged: {torn} torn, {lost} lost acknowledged, {wrongAttributes} wrong owner/mode, {leftTemp} temporary files after restart"),
            Figures =
            [
                new("kills", options.CrashKills), new("acknowledged", acknowledged), new("torn", torn), new("lost_acknowledged", lost),
                new("absent_after_acknowledged", absentAfterAck), new("wrong_owner_or_mode", wrongAttributes), new("temporary_files_after_restart", leftTemp),
            ],
            Failures = failures,
            Duration = clock.Elapsed,
        };
    }

    private static string? Examine(StressOptions options, StressSession session, int acked, int lastSent, ref int torn, ref int lost, ref int wrongAttributes, ref int absentAfterAck)
    {
        FileFacts? status = FileFacts.Of(session.TargetPath);
        if (status is null)
        {
            if (acked >= 0)
            {
                absentAfterAck++;
                lost++;
                return "the target is gone although a version was acknowledged (SPEC DUR-1)";
            }

            return null;
        }

        byte[] content = File.ReadAllBytes(session.TargetPath);
        int? found = VersionOf(content);
        if (found is not { } v || v > lastSent || !content.AsSpan().SequenceEqual(Content(options.Seed, v)))
        {
            torn++;
            return $"the target holds {content.Length} bytes that are no version sent (torn or foreign; SPEC DUR-1)";
        }

        if (v < acked)
        {
            lost++;
            return $"the target holds version {v}, older than the acknowledged {acked} (SPEC DUR-1, OP-2)";
        }

        if (status.Type != "regular file" || status.Uid != 0 || status.Gid != session.TargetGroup.Gid || !status.ModeIs("0640"))
        {
            wrongAttributes++;
            return string.Create(CultureInfo.InvariantCulture, $"the target is a {status.Type} {status.Uid}:{status.Gid} {status.Mode}, not a regular file 0:{session.TargetGroup.Gid} 640 (SPEC TGT-3)");
        }

        return null;
    }

    private static int? VersionOf(byte[] content)
    {
        int newline = Array.IndexOf(content, (byte)'\n');
        const string Prefix = "version ";
        if (newline <= Prefix.Length || !content.AsSpan(0, Prefix.Length).SequenceEqual(Encoding.ASCII.GetBytes(Prefix)))
        {
            return null;
        }

        return int.TryParse(content.AsSpan(Prefix.Length, newline - Prefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out int v) ? v : null;
    }
}
