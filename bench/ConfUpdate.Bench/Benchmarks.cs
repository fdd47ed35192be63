using System.Diagnostics;
using System.Text;
using CliWrap;
using CliWrap.Buffered;
using ConfUpdate.Client;
using ConfUpdate.Harness.Environment;

namespace ConfUpdate.Bench;

/// <summary>
/// The measurements. Subject and baseline run alternately within each iteration (the order flips every
/// iteration, so neither side always goes first), after one unrecorded warm-up iteration (JIT, page cache).
/// Every server is stopped before a method returns, also when it throws.
/// </summary>
internal sealed class Benchmarks(int runs, ServerSite reference, ServerSite python, CliRunner cli)
{
    /// <summary>HELLOs per sample: one takes tens of microseconds, so a single one is mostly timer and scheduler noise.</summary>
    public const int HellosPerSample = 10;

    private static readonly TimeSpan s_stopGrace = TimeSpan.FromSeconds(5);

    /// <summary>Spawn to the socket accepting a SOCK_SEQPACKET connection; each run starts and stops a fresh server.</summary>
    public async Task<Comparison> SpawnToReadyAsync(CancellationToken cancellationToken = default)
    {
        (List<TimeSpan> subject, List<TimeSpan> baseline) = await AlternateAsync(
            () => StartupTimeAsync(reference, cancellationToken),
            () => StartupTimeAsync(python, cancellationToken)).ConfigureAwait(false);
        return new Comparison("server spawn-to-ready", reference.Label, subject, python.Label, baseline);
    }

    /// <summary>
    /// With both servers running: connect + REPLACE + reply + close through the library, against each; HELLO
    /// on an already open connection, against each; and the same update through the CLI process as www-data,
    /// against the reference server, compared with the library's figure.
    /// </summary>
    public async Task<IReadOnlyList<Comparison>> RoundTripsAsync(CancellationToken cancellationToken = default)
    {
        ServerProcess referenceServer = await ServerProcess.StartAsync(reference.Launch, cancellationToken).ConfigureAwait(false);
        await using (referenceServer.ConfigureAwait(false))
        {
            ServerProcess pythonServer = await ServerProcess.StartAsync(python.Launch, cancellationToken).ConfigureAwait(false);
            await using (pythonServer.ConfigureAwait(false))
            {
                int update = 0;
                (List<TimeSpan> libraryReference, List<TimeSpan> libraryPython) = await AlternateAsync(
                    () => UpdateThroughLibraryAsync(reference, ++update, cancellationToken),
                    () => UpdateThroughLibraryAsync(python, ++update, cancellationToken)).ConfigureAwait(false);

                (List<TimeSpan> helloReference, List<TimeSpan> helloPython) = await HelloOnOpenConnectionsAsync(cancellationToken).ConfigureAwait(false);

                string input = cli.WriteInput(Encoding.ASCII.GetBytes("bench via cli\n"));
                var viaCli = new List<TimeSpan>(runs);
                for (int i = 0; i <= runs; i++)
                {
                    TimeSpan elapsed = await cli.UpdateAsync(reference.Launch.SocketPath, ServerSite.TargetName, input, cancellationToken).ConfigureAwait(false);
                    if (i > 0)
                    {
                        viaCli.Add(elapsed);
                    }
                }

                await StopAsync(pythonServer, cancellationToken).ConfigureAwait(false);
                await StopAsync(referenceServer, cancellationToken).ConfigureAwait(false);
                return
                [
                    new Comparison("update (connect+REPLACE+reply), library", reference.Label, libraryReference, python.Label, libraryPython),
                    new Comparison($"HELLO, open connection (mean of {HellosPerSample})", reference.Label, helloReference, python.Label, helloPython),
                    new Comparison("update, CLI process as www-data vs library", $"CLI on {reference.Label}", viaCli, $"library on {reference.Label}", libraryReference),
                ];
            }
        }
    }

    private async Task<(List<TimeSpan> Subject, List<TimeSpan> Baseline)> HelloOnOpenConnectionsAsync(CancellationToken cancellationToken)
    {
        ConfUpdateClient referenceClient = await ConfUpdateClient.ConnectAsync(reference.Launch.SocketPath, cancellationToken).ConfigureAwait(false);
        await using (referenceClient.ConfigureAwait(false))
        {
            ConfUpdateClient pythonClient = await ConfUpdateClient.ConnectAsync(python.Launch.SocketPath, cancellationToken).ConfigureAwait(false);
            await using (pythonClient.ConfigureAwait(false))
            {
                return await AlternateAsync(
                    () => HelloAsync(referenceClient, cancellationToken),
                    () => HelloAsync(pythonClient, cancellationToken)).ConfigureAwait(false);
            }
        }
    }

    private async Task<(List<TimeSpan> Subject, List<TimeSpan> Baseline)> AlternateAsync(Func<Task<TimeSpan>> subject, Func<Task<TimeSpan>> baseline)
    {
        var subjectSamples = new List<TimeSpan>(runs);
        var baselineSamples = new List<TimeSpan>(runs);
        // Iteration 0 is the warm-up and is not recorded.
        for (int i = 0; i <= runs; i++)
        {
            bool subjectFirst = i % 2 == 0;
            TimeSpan first = await (subjectFirst ? subject() : baseline()).ConfigureAwait(false);
            TimeSpan second = await (subjectFirst ? baseline() : subject()).ConfigureAwait(false);
            if (i > 0)
            {
                subjectSamples.Add(subjectFirst ? first : second);
                baselineSamples.Add(subjectFirst ? second : first);
            }
        }

        return (subjectSamples, baselineSamples);
    }

    private static async Task<TimeSpan> StartupTimeAsync(ServerSite site, CancellationToken cancellationToken)
    {
        ServerProcess server = await ServerProcess.StartAsync(site.Launch, cancellationToken).ConfigureAwait(false);
        await using (server.ConfigureAwait(false))
        {
            TimeSpan startup = server.StartupTime;
            // SIGTERM, so that the server removes its socket (SPEC LIFE-1) and the next start begins clean.
            await StopAsync(server, cancellationToken).ConfigureAwait(false);
            return startup;
        }
    }

    private static async Task<TimeSpan> UpdateThroughLibraryAsync(ServerSite site, int sequence, CancellationToken cancellationToken)
    {
        // Distinct content each time, so that every REPLACE really installs a new version (SPEC DUR-1).
        byte[] content = Encoding.ASCII.GetBytes($"bench update {sequence}\n");
        var stopwatch = Stopwatch.StartNew();
        ConfUpdateClient client = await ConfUpdateClient.ConnectAsync(site.Launch.SocketPath, cancellationToken).ConfigureAwait(false);
        await using (client.ConfigureAwait(false))
        {
            _ = await client.ReplaceAsync(ServerSite.TargetName, content, cancellationToken: cancellationToken).ConfigureAwait(false);
        }

        return stopwatch.Elapsed;
    }

    private static async Task<TimeSpan> HelloAsync(ConfUpdateClient client, CancellationToken cancellationToken)
    {
        var stopwatch = Stopwatch.StartNew();
        for (int i = 0; i < HellosPerSample; i++)
        {
            _ = await client.HelloAsync(cancellationToken).ConfigureAwait(false);
        }

        return stopwatch.Elapsed / HellosPerSample;
    }

    private static async Task StopAsync(ServerProcess server, CancellationToken cancellationToken)
    {
        int exitCode = await server.StopAsync(s_stopGrace, cancellationToken).ConfigureAwait(false);
        if (exitCode != 0)
        {
            throw new BenchFailureException(
                $"server pid {server.Pid} ({server.Launch.CommandTemplate}) exited {exitCode} on SIGTERM; expected 0 (SPEC LIFE-1). stderr:\n{server.StderrTail()}");
        }
    }
}
