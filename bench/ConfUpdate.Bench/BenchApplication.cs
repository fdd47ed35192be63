using System.Globalization;
using System.Runtime.InteropServices;
using ConfUpdate.Client;
using ConfUpdate.Harness.Environment;

namespace ConfUpdate.Bench;

/// <summary>
/// Prepares (checks root, finds the build, stages the CLI for www-data, writes both servers' configuration),
/// runs the benchmarks and prints the table. Exit codes: 0 figures printed, 1 an operation being measured
/// failed, 2 the bench cannot run here (not root, not built, accounts missing).
/// </summary>
internal sealed class BenchApplication(TextWriter output, TextWriter error)
{
    /// <summary>The largest <c>--runs</c>: keeps every loop bounded (a run of each figure takes at most a few seconds).</summary>
    public const int MaxRuns = 1000;

    /// <summary>Runs everything with <paramref name="runs"/> measured runs per figure.</summary>
    public async Task<int> RunAsync(int runs, CancellationToken cancellationToken = default)
    {
        try
        {
            await MeasureAsync(runs, cancellationToken).ConfigureAwait(false);
            return 0;
        }
        catch (Exception ex) when (ex is BenchSetupException or KitEnvironmentException)
        {
            await error.WriteLineAsync($"confupdate-bench: {ex.Message}").ConfigureAwait(false);
            return 2;
        }
        catch (Exception ex) when (ex is BenchFailureException or ServerStartException or ConfUpdateException)
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

    private async Task MeasureAsync(int runs, CancellationToken cancellationToken)
    {
        UnixAccount self = UnixAccount.Current();
        if (self.Uid != 0)
        {
            throw new BenchSetupException(
                $"must run as root (it starts the servers as root and runs the CLI as www-data with setpriv); running as {self.Name} (uid {self.Uid}). Use bench/run-bench.sh as root.");
        }

        KitCleanup.InstallHandlers();
        BuildOutputs build = BuildOutputs.Locate();
        UserSwitch userSwitch = UserSwitch.Detect(SwitchStrategy.Setpriv);

        using var staging = new StagingDirectory(prefix: "confkit-bench-stage-");
        using var work = new StagingDirectory(prefix: "confkit-bench-work-");
        string cliDll = Path.Combine(staging.Stage(build.CliDirectory, "cli"), BuildOutputs.CliDllName);
        IReadOnlyDictionary<string, UnixAccount> accounts = await EnvironmentCheck.VerifyAsync(
            userSwitch, new Dictionary<string, string> { ["allowed"] = "www-data" }, [build.Dotnet], [cliDll], cancellationToken).ConfigureAwait(false);

        ServerSite reference = ServerSite.Create(
            work.Path, "reference", "reference (dotnet)", $"{ShellWords.Quote(build.Dotnet)} {ShellWords.Quote(build.ServerDll)} --config {{config}}");
        ServerSite python = ServerSite.Create(
            work.Path, "python", "python example", $"{ShellWords.Quote(build.Python)} {ShellWords.Quote(build.PythonServer)} --config {{config}}");
        var cli = new CliRunner(userSwitch, accounts["allowed"], build.Dotnet, cliDll, work.Path);
        var benchmarks = new Benchmarks(runs, reference, python, cli);

        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"confupdate-bench {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, {System.Environment.ProcessorCount} cores, {RuntimeInformation.OSDescription.Trim()}, .NET {System.Environment.Version}; "
            + $"{runs} runs per figure after 1 warm-up, subject and baseline alternating")).ConfigureAwait(false);

        var rows = new List<Comparison> { await benchmarks.SpawnToReadyAsync(cancellationToken).ConfigureAwait(false) };
        rows.AddRange(await benchmarks.RoundTripsAsync(cancellationToken).ConfigureAwait(false));
        ResultTable.Write(output, rows);
        await output.WriteLineAsync(
            "ratio = subject median / baseline median (above 1: the subject takes longer). Spawn-to-ready is polled every 15 ms by the harness.").ConfigureAwait(false);
    }
}
