using System.Globalization;
using System.Runtime.InteropServices;
using ConfUpdate.Harness.Environment;

namespace ConfUpdate.Bench;

/// <summary>
/// Prepares (checks root, finds the build and the C programs, writes every server's configuration), runs
/// the benchmarks and prints the table. Exit codes: 0 figures printed, 1 an operation being measured
/// failed, 2 the bench cannot run here (not root, not built).
/// </summary>
internal sealed class BenchApplication(TextWriter output, TextWriter error)
{
    /// <summary>The largest <c>--runs</c>: keeps every loop bounded (a round of each figure takes at most a few seconds).</summary>
    public const int MaxRuns = 1000;

    /// <summary>Runs everything as <paramref name="options"/> say.</summary>
    public async Task<int> RunAsync(BenchOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        try
        {
            await MeasureAsync(options, cancellationToken).ConfigureAwait(false);
            return 0;
        }
        catch (Exception ex) when (ex is BenchSetupException or KitEnvironmentException)
        {
            await error.WriteLineAsync($"confupdate-bench: {ex.Message}").ConfigureAwait(false);
            return 2;
        }
        catch (Exception ex) when (ex is BenchFailureException or ServerStartException)
        {
            await error.WriteLineAsync($"confupdate-bench: a measured operation failed, no figures printed: {ex.Message}").ConfigureAwait(false);
            return 1;
        }
        finally
        {
            // Normal paths stop their servers and delete their directories; this catches anything left.
            KitCleanup.RunAll();
        }
    }

    private async Task MeasureAsync(BenchOptions options, CancellationToken cancellationToken)
    {
        UnixAccount self = UnixAccount.Current();
        if (self.Uid != 0)
        {
            throw new BenchSetupException(
                $"must run as root (the servers run as root and change file owners); running as {self.Name} (uid {self.Uid}). Use bench/run-bench.sh as root.");
        }

        KitCleanup.InstallHandlers();
        BuildOutputs build = BuildOutputs.Locate(options.ServerExecutable, options.CliExecutable);
        NativeTools tools = NativeTools.Locate(options.NativeDirectory);

        using var work = new StagingDirectory(prefix: "confkit-bench-work-");
        ServerSite reference = ServerSite.Create(work.Path, "reference", build.ServerIsNative ? "reference (AOT)" : "reference (dotnet)",
            $"{ShellWords.Join(build.ServerCommand)} --config {{config}}");
        ServerSite python = ServerSite.Create(work.Path, "python", "python example",
            $"{ShellWords.Quote(build.Python)} {ShellWords.Quote(build.PythonServer)} --config {{config}}");
        ServerSite echo = ServerSite.Create(work.Path, "echo", "C echo", $"{ShellWords.Quote(tools.EchoServer)} {{socket}}");
        var benchmarks = new Benchmarks(options.Runs, reference, python, echo, tools, build.CliCommand, work.Path);

        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"confupdate-bench {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, {System.Environment.ProcessorCount} cores, {RuntimeInformation.OSDescription.Trim()}, .NET {System.Environment.Version}; "
            + $"{options.Runs} rounds per figure after 1 warm-up round; subjects and baseline alternate within each round; load average at start {Placement.LoadAverage():0.00}")).ConfigureAwait(false);
        await output.WriteLineAsync($"server: {ShellWords.Join(build.ServerCommand)}").ConfigureAwait(false);
        await output.WriteLineAsync($"cli:    {ShellWords.Join(build.CliCommand)}").ConfigureAwait(false);
        await output.WriteLineAsync($"driver: {tools.Client} (C), {Benchmarks.HellosPerRound} HELLOs per server per round after {Benchmarks.HelloWarmup} untimed").ConfigureAwait(false);

        var rows = new List<Comparison>();
        rows.AddRange(await benchmarks.HelloAsync(
            $"cost: client and server on CPU {Placement.SharedCpu}", Placement.SharedCpu, Placement.SharedCpu, cancellationToken).ConfigureAwait(false));
        rows.AddRange(await benchmarks.HelloAsync(
            $"latency: server on CPU {Placement.ServerCpu}, client on CPU {Placement.ClientCpu}", Placement.ServerCpu, Placement.ClientCpu, cancellationToken).ConfigureAwait(false));
        string all = $"all CPUs ({Placement.AllCpus}) for servers and clients";
        rows.AddRange(await benchmarks.ReplaceAsync(all, Placement.AllCpus, cancellationToken).ConfigureAwait(false));
        rows.AddRange(await benchmarks.IdleMemoryAsync(all, Placement.AllCpus, cancellationToken).ConfigureAwait(false));
        rows.AddRange(await benchmarks.SpawnToReadyAsync(all, Placement.AllCpus, cancellationToken).ConfigureAwait(false));
        rows.Add(await benchmarks.CliHelloAsync(all, Placement.AllCpus, cancellationToken).ConfigureAwait(false));
        ResultTable.Write(output, rows);
        await output.WriteLineAsync(
            "ratio = subject / baseline, one ratio per round (median, p10, p90 over the rounds). For times and sizes 1.00x is the physical limit "
            + "and lower is better; for throughputs (/s) 1.00x equals the C loop and higher is better. load = 1-minute load average over the rounds.").ConfigureAwait(false);
    }
}
