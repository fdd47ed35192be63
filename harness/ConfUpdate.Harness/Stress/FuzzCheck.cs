using System.Diagnostics;
using System.Globalization;
using System.Text;
using ConfUpdate.Protocol;

namespace ConfUpdate.Harness.Stress;

/// <summary>
/// Seeded, reproducible fuzzing: <see cref="FuzzInputs"/> datagrams sent in pipelined windows on one
/// connection, every reply judged by <see cref="ReplyOracle"/>, a fresh connection's HELLO answered
/// throughout (SPEC CONN-1: no input makes the server exit, crash or hang). The first failing input is
/// minimised and saved as a scenario file.
/// </summary>
internal static class FuzzCheck
{
    /// <summary>The SPEC requirements this check exercises.</summary>
    public static readonly IReadOnlyList<string> Requirements = ["FRAME-1", "FRAME-3", "FRAME-4", "FRAME-6", "FRAME-7", "FRAME-8", "FRAME-9", "STAT-1", "OP-1", "OP-2", "OP-3", "CONN-1"];

    private const int Window = 32;
    private const int ProbeEvery = 5_000;
    private const int MaxMinimiseAttempts = 300;

    public static async Task<StressResult> RunAsync(StressOptions options, IProgress<StressProgress> progress, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        await using StressSession session = StressSession.Create(options, "fuzz", onTmpfs: true);
        await session.StartAsync(cancellationToken).ConfigureAwait(false);
        var inputs = new FuzzInputs(options.Seed, session.MaxRequestSize, StressSession.TargetName);
        var kinds = new Dictionary<string, int>(StringComparer.Ordinal);
        int sent = 0, probes = 0;
        string? failure = null;
        byte[]? failing = null;
        StressClient client = await session.ConnectAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var batch = new List<byte[]>(Window);
            while (sent < options.FuzzDatagrams && failure is null)
            {
                cancellationToken.ThrowIfCancellationRequested();
                batch.Clear();
                for (int i = 0; i < Window && sent + batch.Count < options.FuzzDatagrams; i++)
                {
                    (byte[] datagram, string kind) = inputs.Next();
                    kinds[kind] = kinds.GetValueOrDefault(kind) + 1;
                    batch.Add(datagram);
                }

                (failure, failing) = await ExchangeAsync(options, session, client, batch, cancellationToken).ConfigureAwait(false);
                sent += batch.Count;
                if (failure is null && sent / ProbeEvery != (sent - batch.Count) / ProbeEvery)
                {
                    probes++;
                    failure = await ProbeAsync(options, session, cancellationToken).ConfigureAwait(false);
                    progress.Report(new StressProgress(StressCheck.Fuzz, sent, options.FuzzDatagrams, $"{sent} datagrams, {probes} probes answered"));
                }
            }

            failure ??= await ProbeAsync(options, session, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            client.Dispose();
        }

        string? file = null;
        if (failure is not null && failing is not null)
        {
            byte[] minimal = await MinimiseAsync(options, session, failing, cancellationToken).ConfigureAwait(false);
            file = SaveScenario(options, session.MaxRequestSize, minimal, failure, sent);
        }

        progress.Report(new StressProgress(StressCheck.Fuzz, options.FuzzDatagrams, options.FuzzDatagrams, "done"));
        var figures = new List<KeyValuePair<string, double>> { new("datagrams", sent), new("probes_answered", probes), new("oracle_mismatches", failure is null ? 0 : 1) };
        figures.AddRange(kinds.OrderBy(k => k.Key, StringComparer.Ordinal).Select(k => new KeyValuePair<string, double>("kind_" + k.Key, k.Value)));
        return new StressResult(StressCheck.Fuzz, Requirements)
        {
            Summary = failure is null
                ? string.Create(CultureInfo.InvariantCulture, $"{sent} datagrams (seed {options.Seed}): 0 crashes, 0 hangs, 0 oracle mismatches; {probes} probes answered")
                : string.Create(CultureInfo.InvariantCulture, $"stopped after {sent} datagrams (seed {options.Seed}): {failure}"),
            Figures = figures,
            Failures = failure is null ? [] : [failure],
            ReproductionFile = file,
            Duration = clock.Elapsed,
        };
    }

    private static async Task<(string? Failure, byte[]? Datagram)> ExchangeAsync(StressOptions options, StressSession session, StressClient client, List<byte[]> batch, CancellationToken cancellationToken)
    {
        foreach (byte[] datagram in batch)
        {
            try
            {
                await client.SendAsync(datagram, cancellationToken).ConfigureAwait(false);
            }
            catch (System.Net.Sockets.SocketException ex)
            {
                return (Died(session, $"sending a {datagram.Length}-byte datagram failed: {ex.SocketErrorCode}"), datagram);
            }
        }

        foreach (byte[] datagram in batch)
        {
            StressReply? reply;
            try
            {
                reply = await client.ReceiveAsync(options.ReplyTimeout, cancellationToken).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                return (Died(session, $"no reply to a {datagram.Length}-byte datagram within {options.ReplyTimeout.TotalSeconds:0} s: the server hangs (CONN-1)"), datagram);
            }
            catch (System.Net.Sockets.SocketException ex)
            {
                return (Died(session, $"the connection failed ({ex.SocketErrorCode}) before the reply to a {datagram.Length}-byte datagram (FRAME-1, CONN-1)"), datagram);
            }

            if (reply is null)
            {
                return (Died(session, $"end of stream instead of a reply to a {datagram.Length}-byte datagram (FRAME-1, FRAME-6, CONN-1)"), datagram);
            }

            if (ReplyOracle.Judge(datagram, reply, session.MaxRequestSize, StressSession.TargetName) is { } problem)
            {
                return ($"oracle mismatch for a {datagram.Length}-byte datagram: {problem}", datagram);
            }
        }

        return (null, null);
    }

    private static string Died(StressSession session, string what) =>
        session.Server is { HasExited: true } server ? $"{what}; the server exited (status {server.ExitCode}): it crashed (CONN-1)" : what;

    private static async Task<string?> ProbeAsync(StressOptions options, StressSession session, CancellationToken cancellationToken)
    {
        try
        {
            using StressClient probe = await session.ConnectAsync(cancellationToken).ConfigureAwait(false);
            StressReply? reply = await probe.RequestAsync(RequestCodec.Encode(new HelloRequest(1)), options.ReplyTimeout, cancellationToken).ConfigureAwait(false);
            return reply?.Status == (int)Status.Ok ? null : "the probe's HELLO on a fresh connection was not answered OK (CONN-1)";
        }
        catch (Exception ex) when (ex is System.Net.Sockets.SocketException or TimeoutException)
        {
            return Died(session, $"the probe's HELLO on a fresh connection failed: {ex.Message} (CONN-1)");
        }
    }

    /// <summary>Shrinks a failing datagram while it still fails alone on a fresh connection (a crash restarts the server).</summary>
    private static async Task<byte[]> MinimiseAsync(StressOptions options, StressSession session, byte[] failing, CancellationToken cancellationToken)
    {
        byte[] best = failing;
        int attempts = 0;
        int chunk = Math.Max(1, best.Length / 2);
        while (chunk >= 1 && attempts < MaxMinimiseAttempts)
        {
            bool shrunk = false;
            for (int start = 0; start + chunk <= best.Length && attempts < MaxMinimiseAttempts; start += chunk)
            {
                byte[] candidate = [.. best.AsSpan(0, start), .. best.AsSpan(start + chunk)];
                attempts++;
                if (candidate.Length > 0 && await StillFailsAsync(options, session, candidate, cancellationToken).ConfigureAwait(false))
                {
                    best = candidate;
                    shrunk = true;
                    break;
                }
            }

            if (!shrunk)
            {
                chunk /= 2;
            }
        }

        return best;
    }

    private static async Task<bool> StillFailsAsync(StressOptions options, StressSession session, byte[] candidate, CancellationToken cancellationToken)
    {
        if (session.Server is null or { HasExited: true })
        {
            await session.KillAsync().ConfigureAwait(false);
            await session.StartAsync(cancellationToken).ConfigureAwait(false);
        }

        using StressClient client = await session.ConnectAsync(cancellationToken).ConfigureAwait(false);
        (string? failure, _) = await ExchangeAsync(options, session, client, [candidate], cancellationToken).ConfigureAwait(false);
        return failure is not null;
    }

    private static string? SaveScenario(StressOptions options, int maxRequestSize, byte[] datagram, string failure, int sent)
    {
        if (options.FailureDirectory is not { } directory)
        {
            return null;
        }

        Directory.CreateDirectory(directory);
        string id = string.Create(CultureInfo.InvariantCulture, $"stress.fuzz-seed-{options.Seed}-at-{sent}");
        string path = Path.Combine(directory, $"{id}.yaml");
        Status[] allowed = ReplyOracle.Allowed(datagram, maxRequestSize, StressSession.TargetName, out _);
        if (RequestCodec.TryDecode(datagram, out Request? decoded, out _) && decoded is ReplaceRequest or GetVersionRequest)
        {
            // The scenario's server names its targets itself: the fuzzer's target name is unknown there.
            allowed = [.. allowed, Status.UnknownTarget];
        }
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"# Written by `confkit stress --only fuzz --seed {options.Seed}`: the minimised input that failed.");
        text.AppendLine(CultureInfo.InvariantCulture, $"# Failure: {failure.ReplaceLineEndings(" ")}");
        text.AppendLine("# Copy into scenarios/ to keep it; the target name `t` is the scenario's own target.");
        text.AppendLine("scenarios:");
        text.AppendLine(CultureInfo.InvariantCulture, $"  - id: {id}");
        text.AppendLine("    title: A datagram found by the fuzzer gets a reply SPEC allows, and the server keeps serving.");
        text.AppendLine("    requirements: [FRAME-3, FRAME-6, STAT-1, CONN-1]");
        text.AppendLine("    level: MUST");
        text.AppendLine("    tags: [fuzz]");
        text.AppendLine("    steps:");
        text.AppendLine("      - connect: true");
        text.AppendLine(CultureInfo.InvariantCulture, $"      - request: {{hex: \"{FuzzInputs.Hex(datagram)}\"}}");
        text.AppendLine(CultureInfo.InvariantCulture, $"        expect: {{any_of: [{string.Join(", ", allowed.Select(s => $"{{status: {StatusInfo.WireName(s)}}}"))}]}}");
        text.AppendLine("      - {conn: probe, connect: true}");
        text.AppendLine("      - {conn: probe, request: {op: hello}, expect: {status: OK}}");
        text.AppendLine("    checks:");
        text.AppendLine("      - server_alive: true");
        File.WriteAllText(path, text.ToString());
        return path;
    }
}
