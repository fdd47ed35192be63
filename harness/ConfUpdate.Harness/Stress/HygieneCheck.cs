using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using ConfUpdate.Protocol;

namespace ConfUpdate.Harness.Stress;

/// <summary>
/// Descriptors, threads and resident memory of the server before and after churn: thousands of
/// connections opened and closed, REPLACEs, and clients that vanish mid-request (SPEC CONN-4: every
/// descriptor a connection uses is released). Descriptors decide the verdict; threads and memory are
/// reported (SPEC sets no bound on them).
/// </summary>
internal static class HygieneCheck
{
    /// <summary>The SPEC requirements this check exercises.</summary>
    public static readonly IReadOnlyList<string> Requirements = ["CONN-4", "CONN-1", "DUR-5"];

    private const int Connections = 2_000;
    private const int Replaces = 500;
    private const int AbruptCloses = 300;
    private static readonly TimeSpan s_settle = TimeSpan.FromSeconds(5);

    public static async Task<StressResult> RunAsync(StressOptions options, IProgress<StressProgress> progress, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        await using StressSession session = StressSession.Create(options, "hygiene", onTmpfs: true);
        await session.StartAsync(cancellationToken).ConfigureAwait(false);
        int pid = session.Server!.Pid;
        byte[] hello = RequestCodec.Encode(new HelloRequest(1));
        // A small round of the same churn first, so that state made lazily on first use (pools, the
        // runtime's I/O threads, JIT) is part of the baseline and not mistaken for a leak.
        await ChurnAsync(options, session, hello, Connections / 20, Replaces / 20, AbruptCloses / 20, null, cancellationToken).ConfigureAwait(false);
        await Task.Delay(1000, cancellationToken).ConfigureAwait(false);
        Sample before = Sample.Of(pid);
        Dictionary<string, string> fdsBefore = Descriptors(pid);
        int total = Connections + Replaces + AbruptCloses;
        await ChurnAsync(options, session, hello, Connections, Replaces, AbruptCloses, progress, cancellationToken).ConfigureAwait(false);

        // Settle: connections the server has not noticed closing yet are not leaks.
        Sample after = Sample.Of(pid);
        var settle = Stopwatch.StartNew();
        while (after.Descriptors > before.Descriptors && settle.Elapsed < s_settle)
        {
            await Task.Delay(100, cancellationToken).ConfigureAwait(false);
            after = Sample.Of(pid);
        }

        progress.Report(new StressProgress(StressCheck.Hygiene, total, total, "done"));
        var failures = new List<string>();
        if (after.Descriptors > before.Descriptors)
        {
            string added = string.Join(", ", Descriptors(pid).Where(d => !fdsBefore.ContainsKey(d.Key)).Take(8).Select(d => $"{d.Key} -> {d.Value}"));
            failures.Add(string.Create(CultureInfo.InvariantCulture,
                $"open descriptors went from {before.Descriptors} to {after.Descriptors} after {Connections} connections, {Replaces} REPLACEs and {AbruptCloses} abrupt closes (CONN-4); new: {added}"));
        }

        if (session.Server is { HasExited: true })
        {
            failures.Add("the server exited during the churn (CONN-1)");
        }

        return new StressResult(StressCheck.Hygiene, Requirements)
        {
            Summary = string.Create(CultureInfo.InvariantCulture,
                $"after {Connections} connections, {Replaces} REPLACEs, {AbruptCloses} abrupt closes: descriptors {before.Descriptors} -> {after.Descriptors}, threads {before.Threads} -> {after.Threads}, RSS {before.RssKb / 1024.0:0.0} -> {after.RssKb / 1024.0:0.0} MB"),
            Figures =
            [
                new("descriptors_before", before.Descriptors), new("descriptors_after", after.Descriptors),
                new("threads_before", before.Threads), new("threads_after", after.Threads),
                new("rss_kb_before", before.RssKb), new("rss_kb_after", after.RssKb),
            ],
            Failures = failures,
            Duration = clock.Elapsed,
        };
    }

    private static async Task ChurnAsync(StressOptions options, StressSession session, byte[] hello, int connections, int replaces, int abrupt, IProgress<StressProgress>? progress, CancellationToken cancellationToken)
    {
        int total = connections + replaces + abrupt;
        for (int i = 0; i < connections; i++)
        {
            await RefusalTolerantAsync(async () =>
            {
                using StressClient client = await session.ConnectAsync(cancellationToken).ConfigureAwait(false);
                if (i % 2 == 0)
                {
                    _ = await client.RequestAsync(hello, options.ReplyTimeout, cancellationToken).ConfigureAwait(false);
                }
            }).ConfigureAwait(false);

            if (i % 250 == 0)
            {
                progress?.Report(new StressProgress(StressCheck.Hygiene, i, total, "connections"));
            }
        }

        using (StressClient writer = await session.ConnectAsync(cancellationToken).ConfigureAwait(false))
        {
            for (int i = 0; i < replaces; i++)
            {
                _ = await writer.RequestAsync(RequestCodec.Encode(new ReplaceRequest((uint)i, StressSession.TargetName, new byte[1 + (i * 97 % 4000)])), options.ReplyTimeout, cancellationToken).ConfigureAwait(false);
            }
        }

        progress?.Report(new StressProgress(StressCheck.Hygiene, connections + replaces, total, "abrupt closes"));
        for (int i = 0; i < abrupt; i++)
        {
            // Sent, then gone with the request unanswered: the reply's send fails on the server side (DUR-5).
            uint id = (uint)i;
            await RefusalTolerantAsync(async () =>
            {
                using StressClient client = await session.ConnectAsync(cancellationToken).ConfigureAwait(false);
                await client.SendAsync(RequestCodec.Encode(new ReplaceRequest(id, StressSession.TargetName, new byte[2000])), cancellationToken).ConfigureAwait(false);
                client.Socket.LingerState = new LingerOption(true, 0);
            }).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Runs one churn connection. Connections closed a moment ago (or still finishing their REPLACE after
    /// an abrupt close) count against the per-uid cap until the server has seen them end (CONN-3), so a
    /// new one may get BUSY and a close, which the kit's send meets as EPIPE or ECONNRESET. That is the cap
    /// at work: the churn goes on, and the descriptor count afterwards still decides the check.
    /// </summary>
    private static async Task RefusalTolerantAsync(Func<Task> connection)
    {
        try
        {
            await connection().ConfigureAwait(false);
        }
        catch (SocketException ex) when (ex.SocketErrorCode is SocketError.Shutdown or SocketError.ConnectionReset)
        {
            // Refused at accept (BUSY); see above.
        }
    }

    private static Dictionary<string, string> Descriptors(int pid)
    {
        var fds = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (string fd in Directory.GetFileSystemEntries($"/proc/{pid}/fd"))
        {
            try
            {
                fds[Path.GetFileName(fd)] = new FileInfo(fd).LinkTarget ?? "?";
            }
            catch (IOException)
            {
                // Closed while we looked.
            }
        }

        return fds;
    }

    private sealed record Sample(int Descriptors, int Threads, long RssKb)
    {
        public static Sample Of(int pid)
        {
            int descriptors = Directory.GetFileSystemEntries($"/proc/{pid}/fd").Length;
            int threads = 0;
            long rss = 0;
            foreach (string line in File.ReadLines($"/proc/{pid}/status"))
            {
                if (line.StartsWith("Threads:", StringComparison.Ordinal))
                {
                    threads = int.Parse(line.AsSpan(8).Trim(), CultureInfo.InvariantCulture);
                }
                else if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                {
                    rss = long.Parse(line.AsSpan(6).Trim().TrimEnd("kB").Trim(), CultureInfo.InvariantCulture);
                }
            }

            return new Sample(descriptors, threads, rss);
        }
    }
}
