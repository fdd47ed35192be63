using System.Globalization;
using ConfUpdate.Harness.Environment;

namespace ConfUpdate.Bench;

/// <summary>
/// The measurements. Each figure runs in rounds; in every round each subject and its baseline run once,
/// in an order that rotates from round to round, so that each round gives one ratio measured under the
/// same conditions. One unrecorded warm-up round comes first (JIT, page cache). Every server started
/// here is stopped before a method returns, also when it throws.
/// </summary>
/// <param name="rounds">Measured rounds per figure.</param>
/// <param name="reference">The reference server.</param>
/// <param name="python">The Python example server.</param>
/// <param name="echo">The C echo server (the physical limit of a request/reply server).</param>
/// <param name="tools">The C programs.</param>
/// <param name="cliCommand">The <c>confupdate</c> command line (a NativeAOT binary, or dotnet and the dll).</param>
/// <param name="workDirectory">Where the C durable-write loop writes its files.</param>
internal sealed class Benchmarks(
    int rounds, ServerSite reference, ServerSite python, ServerSite echo, NativeTools tools, IReadOnlyList<string> cliCommand, string workDirectory)
{
    /// <summary>Timed HELLO round trips per server per round (after <see cref="HelloWarmup"/> untimed ones).</summary>
    public const int HellosPerRound = 5000;

    /// <summary>Untimed HELLOs before each timed run.</summary>
    public const int HelloWarmup = 500;

    /// <summary>Bytes of content per REPLACE.</summary>
    public const int ReplaceSize = 1000;

    /// <summary>Seconds each REPLACE throughput run lasts.</summary>
    public const double ReplaceSeconds = 1.0;

    /// <summary>Connections held open for the idle-memory figure.</summary>
    public const int IdleConnections = 1000;

    private static readonly TimeSpan s_stopGrace = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan s_closeSettle = TimeSpan.FromSeconds(1);

    /// <summary>HELLO round trips on an open connection, p50 and p99 of each round, against the C echo.</summary>
    public async Task<IReadOnlyList<Comparison>> HelloAsync(string placement, string serverCpus, string clientCpus, CancellationToken cancellationToken = default)
    {
        ServerSite[] sites = [reference, python, echo];
        var p50 = sites.ToDictionary(s => s, _ => new List<double>());
        var p99 = sites.ToDictionary(s => s, _ => new List<double>());
        var loads = new List<double>();
        await WithServersAsync(sites, serverCpus, async () =>
        {
            for (int round = 0; round <= rounds; round++)
            {
                foreach (ServerSite site in Rotate(sites, round))
                {
                    // p10 p50 p90 p99 mean, in nanoseconds.
                    double[] figures = await tools.ClientAsync(clientCpus,
                        ["rtt", site.SocketPath, Invariant(HellosPerRound), Invariant(HelloWarmup)], cancellationToken).ConfigureAwait(false);
                    if (round > 0)
                    {
                        p50[site].Add(figures[1] / 1000);
                        p99[site].Add(figures[3] / 1000);
                    }
                }

                if (round > 0)
                {
                    loads.Add(Placement.LoadAverage());
                }
            }
        }, cancellationToken).ConfigureAwait(false);

        return
        [
            new Comparison("HELLO round trip p50 (us)", placement, reference.Label, p50[reference], echo.Label, p50[echo], loads),
            new Comparison("HELLO round trip p99 (us)", placement, reference.Label, p99[reference], echo.Label, p99[echo], loads),
            new Comparison("HELLO round trip p50 (us)", placement, python.Label, p50[python], echo.Label, p50[echo], loads),
            new Comparison("HELLO round trip p99 (us)", placement, python.Label, p99[python], echo.Label, p99[echo], loads),
        ];
    }

    /// <summary>Durable REPLACE throughput over 1 connection on 1 target and 8 connections on 8 targets, against the C loop.</summary>
    public async Task<IReadOnlyList<Comparison>> ReplaceAsync(string placement, string cpus, CancellationToken cancellationToken = default)
    {
        string loopDirectory = Path.Combine(workDirectory, "durable-loop");
        Directory.CreateDirectory(loopDirectory);
        var rows = new List<Comparison>();
        await WithServersAsync([reference, python], cpus, async () =>
        {
            foreach (int connections in (int[])[1, ServerSite.TargetCount])
            {
                var values = new Dictionary<string, List<double>> { [reference.Label] = [], [python.Label] = [], ["C loop"] = [] };
                var loads = new List<double>();
                string[] order = [reference.Label, python.Label, "C loop"];
                for (int round = 0; round <= rounds; round++)
                {
                    foreach (string subject in Rotate(order, round))
                    {
                        double perSecond = subject == "C loop"
                            ? await tools.DurableLoopAsync(cpus, loopDirectory, connections, ReplaceSeconds, ReplaceSize, cancellationToken).ConfigureAwait(false)
                            : (await tools.ClientAsync(cpus,
                                ["replace", (subject == reference.Label ? reference : python).SocketPath, ServerSite.TargetPrefix,
                                 Invariant(connections), Invariant(ReplaceSeconds), Invariant(ReplaceSize)], cancellationToken).ConfigureAwait(false))[2];
                        if (round > 0)
                        {
                            values[subject].Add(perSecond);
                        }
                    }

                    if (round > 0)
                    {
                        loads.Add(Placement.LoadAverage());
                    }
                }

                string figure = connections == 1
                    ? $"REPLACE {ReplaceSize} B, 1 conn, 1 target (/s)"
                    : $"REPLACE {ReplaceSize} B, {connections} conns, {connections} targets (/s)";
                string baseline = connections == 1 ? "C loop, 1 thread" : $"C loop, {connections} threads";
                rows.Add(new Comparison(figure, placement, reference.Label, values[reference.Label], baseline, values["C loop"], loads, HigherIsBetter: true));
                rows.Add(new Comparison(figure, placement, python.Label, values[python.Label], baseline, values["C loop"], loads, HigherIsBetter: true));
            }
        }, cancellationToken).ConfigureAwait(false);
        return rows;
    }

    /// <summary>
    /// Resident memory per idle connection (1000 open, one HELLO each) and what stays resident once they
    /// are closed, in KB per connection, against the C echo server (a thread and a 64 KiB buffer each).
    /// </summary>
    public async Task<IReadOnlyList<Comparison>> IdleMemoryAsync(string placement, string cpus, CancellationToken cancellationToken = default)
    {
        ServerSite[] sites = [reference, python, echo];
        var open = sites.ToDictionary(s => s, _ => new List<double>());
        var retained = sites.ToDictionary(s => s, _ => new List<double>());
        var loads = new List<double>();
        await WithServersAsync(sites, cpus, async servers =>
        {
            // Fewer rounds: each opens a thousand connections per server.
            int memoryRounds = Math.Min(rounds, 3);
            for (int round = 0; round <= memoryRounds; round++)
            {
                foreach (ServerSite site in Rotate(sites, round))
                {
                    int pid = servers[site].Pid;
                    long before = ResidentKilobytes(pid);
                    long during = 0;
                    await tools.IdleConnectionsAsync(cpus, site.SocketPath, IdleConnections, () => during = ResidentKilobytes(pid), cancellationToken).ConfigureAwait(false);
                    // Let the server see the thousand ends of stream and release what each connection held.
                    await Task.Delay(s_closeSettle, cancellationToken).ConfigureAwait(false);
                    long after = ResidentKilobytes(pid);
                    if (round > 0)
                    {
                        open[site].Add((double)(during - before) / IdleConnections);
                        retained[site].Add((double)(after - before) / IdleConnections);
                    }
                }

                if (round > 0)
                {
                    loads.Add(Placement.LoadAverage());
                }
            }
        }, cancellationToken).ConfigureAwait(false);

        string figure = $"RSS per idle connection (KB, {IdleConnections})";
        const string Retained = "RSS kept after close (KB/conn)";
        return
        [
            new Comparison(figure, placement, reference.Label, open[reference], echo.Label, open[echo], loads),
            new Comparison(Retained, placement, reference.Label, retained[reference], echo.Label, retained[echo], loads, RatioIsMeaningless: true),
            new Comparison(figure, placement, python.Label, open[python], echo.Label, open[echo], loads),
            new Comparison(Retained, placement, python.Label, retained[python], echo.Label, retained[echo], loads, RatioIsMeaningless: true),
        ];
    }

    /// <summary>Spawn to the socket accepting a connection (polled every 100 us by the C client), against the C echo server.</summary>
    public async Task<IReadOnlyList<Comparison>> SpawnToReadyAsync(string placement, string cpus, CancellationToken cancellationToken = default)
    {
        ServerSite[] sites = [reference, python, echo];
        var values = sites.ToDictionary(s => s, _ => new List<double>());
        var loads = new List<double>();
        for (int round = 0; round <= rounds; round++)
        {
            foreach (ServerSite site in Rotate(sites, round))
            {
                double[] ready = await tools.ClientAsync(cpus, ["spawn-ready", site.SocketPath, .. site.Command], cancellationToken).ConfigureAwait(false);
                if (round > 0)
                {
                    values[site].Add(ready[0] / 1e6);
                }
            }

            if (round > 0)
            {
                loads.Add(Placement.LoadAverage());
            }
        }

        return
        [
            new Comparison("server spawn-to-ready (ms)", placement, reference.Label, values[reference], echo.Label, values[echo], loads),
            new Comparison("server spawn-to-ready (ms)", placement, python.Label, values[python], echo.Label, values[echo], loads),
        ];
    }

    /// <summary><c>confupdate hello</c> from spawn to exit, against the C client doing the same HELLO as a process.</summary>
    public async Task<Comparison> CliHelloAsync(string placement, string cpus, CancellationToken cancellationToken = default)
    {
        var cli = new List<double>();
        var floor = new List<double>();
        var loads = new List<double>();
        await WithServersAsync([reference], cpus, async () =>
        {
            for (int round = 0; round <= rounds; round++)
            {
                bool cliFirst = round % 2 == 0;
                for (int turn = 0; turn < 2; turn++)
                {
                    bool isCli = (turn == 0) == cliFirst;
                    IReadOnlyList<string> command = isCli
                        ? [.. cliCommand, "--socket", reference.SocketPath, "hello"]
                        : [tools.Client, "hello-once", reference.SocketPath];
                    double[] took = await tools.ClientAsync(cpus, ["spawn-exit", .. command], cancellationToken).ConfigureAwait(false);
                    if (round > 0)
                    {
                        (isCli ? cli : floor).Add(took[0] / 1e6);
                    }
                }

                if (round > 0)
                {
                    loads.Add(Placement.LoadAverage());
                }
            }
        }, cancellationToken).ConfigureAwait(false);
        return new Comparison("CLI hello, spawn to exit (ms)", placement, "confupdate hello", cli, "C client, 1 HELLO", floor, loads);
    }

    private static Task WithServersAsync(IReadOnlyList<ServerSite> sites, string cpus, Func<Task> body, CancellationToken cancellationToken) =>
        WithServersAsync(sites, cpus, _ => body(), cancellationToken);

    private static async Task WithServersAsync(
        IReadOnlyList<ServerSite> sites, string cpus, Func<IReadOnlyDictionary<ServerSite, ServerProcess>, Task> body, CancellationToken cancellationToken)
    {
        var started = new Dictionary<ServerSite, ServerProcess>();
        try
        {
            foreach (ServerSite site in sites)
            {
                started[site] = await ServerProcess.StartAsync(site.Launch(cpus), cancellationToken).ConfigureAwait(false);
            }

            await body(started).ConfigureAwait(false);
            foreach ((ServerSite site, ServerProcess server) in started)
            {
                // SIGTERM, so that the server removes its socket (SPEC LIFE-1) and the next start begins clean.
                int exitCode = await server.StopAsync(s_stopGrace, cancellationToken).ConfigureAwait(false);
                if (exitCode != 0)
                {
                    throw new BenchFailureException(
                        $"{site.Label} (pid {server.Pid}) exited {exitCode} on SIGTERM; expected 0 (SPEC LIFE-1). stderr:\n{server.StderrTail()}");
                }
            }
        }
        finally
        {
            foreach (ServerProcess server in started.Values)
            {
                await server.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    private static IEnumerable<T> Rotate<T>(IReadOnlyList<T> items, int round) =>
        Enumerable.Range(0, items.Count).Select(i => items[(i + round) % items.Count]);

    private static long ResidentKilobytes(int pid)
    {
        // "VmRSS:     59136 kB"
        string line = File.ReadLines($"/proc/{pid}/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        return long.Parse(line["VmRSS:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
    }

    private static string Invariant(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Invariant(double value) => value.ToString(CultureInfo.InvariantCulture);
}
