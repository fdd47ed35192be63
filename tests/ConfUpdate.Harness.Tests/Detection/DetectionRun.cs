using System.Diagnostics;
using System.Globalization;
using ConfUpdate.Harness.Running;
using ConfUpdate.Harness.Scenarios;
using ConfUpdate.Harness.Tests.Scenarios;

namespace ConfUpdate.Harness.Tests.Detection;

/// <summary>
/// Runs the kit's MUST scenarios against the two correct servers and every faulty server, once per test
/// run, a few servers at a time (each run already runs its scenarios in parallel), and writes the
/// detection report. Every test case then reads its own server's results.
/// </summary>
internal static class DetectionRun
{
    public const string Reference = "reference";
    public const string PythonExample = "python-example";

    private static readonly Lazy<Task<DetectionResults>> s_results = new(RunAllAsync);

    public static Task<DetectionResults> Results => s_results.Value;

    /// <summary>Servers run at once; 2 keeps a 2-core machine busy without starving timing-sensitive scenarios.</summary>
    private static int Concurrency =>
        int.TryParse(System.Environment.GetEnvironmentVariable("CONFKIT_DETECTION_CONCURRENCY"), NumberStyles.Integer, CultureInfo.InvariantCulture, out int n) && n > 0 ? n : 2;

    /// <summary>
    /// The faulty servers wait 2 s for a reply instead of the kit's 5 s. Several faults withhold replies (held
    /// back to reorder them, merged away), and each missing one costs the whole wait: at 5 s the reordering
    /// server alone took 53 s. The correct servers keep the default, so a false alarm is judged as users run.
    /// </summary>
    internal const double FaultyServerTimeScale = 0.4;

    private static async Task<DetectionResults> RunAllAsync()
    {
        var clock = Stopwatch.StartNew();
        using var kit = new StagedKit("dotnet test tests/ConfUpdate.Harness.Tests --filter \"Name~Fault_\" # scenario {id}");
        RunOptions options = kit.Options;

        // Only MUST scenarios: a fault is a departure from a MUST requirement (SHOULD cases need --strict).
        List<Scenario> scenarios = ScenarioCatalog.All.Where(s => s.Level == "MUST").ToList();
        // The correct servers get every MUST scenario (a false alarm anywhere counts). A faulty server gets
        // the MUST scenarios citing a requirement it breaks, like `confkit run --requirement ...`: only
        // those can catch it on its requirement, and the whole pass stays within a few minutes on 2 cores.
        // CONFKIT_DETECTION_SCOPE=all runs every MUST scenario against the faulty servers too.
        bool allForFaults = string.Equals(System.Environment.GetEnvironmentVariable("CONFKIT_DETECTION_SCOPE"), "all", StringComparison.OrdinalIgnoreCase);
        var servers = new List<(string Name, string Command, List<Scenario> Scenarios, double TimeScale)>
        {
            (PythonExample, $"{FaultRegistry.Python} {Path.Combine(KitPaths.SolutionRoot, "examples", "python-server", "confupdate_server.py")} --config {{config}}", scenarios, options.TimeScale),
        };
        servers.AddRange(FaultRegistry.ScenarioFaults.Select(f => (f.Name, FaultRegistry.Command(f.Name),
            allForFaults ? scenarios : scenarios.Where(s => s.Requirements.Any(f.Requirements.Contains)).ToList(), FaultyServerTimeScale)));
        // For a quick look at a few servers: CONFKIT_DETECTION_ONLY=reference,no-uid-check (the others then fail as not run).
        string[] only = (System.Environment.GetEnvironmentVariable("CONFKIT_DETECTION_ONLY") ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries);
        if (only.Length > 0)
        {
            servers.RemoveAll(s => !only.Contains(s.Name, StringComparer.Ordinal));
        }

        // The reference server's run is the one the scenario test cases use (ReferenceServerRun), its MUST
        // scenarios taken: the suite is not run against it a second time.
        using var gate = new SemaphoreSlim(Concurrency);
        async Task<ServerRun> Gated(Func<Task<ServerRun>> run)
        {
            await gate.WaitAsync().ConfigureAwait(false);
            try
            {
                return await run().ConfigureAwait(false);
            }
            finally
            {
                gate.Release();
            }
        }

        Task<ServerRun>? reference = only.Length == 0 || only.Contains(Reference, StringComparer.Ordinal)
            ? Gated(() => ReferenceRunAsync(scenarios))
            : null;
        ServerRun[] others = await Task.WhenAll(servers.Select(s =>
            Gated(() => RunOneAsync(options with { ServerCommand = s.Command, TimeScale = s.TimeScale }, s.Name, s.Scenarios)))).ConfigureAwait(false);
        ServerRun[] runs = reference is null ? others : [await reference.ConfigureAwait(false), .. others];

        var results = new DetectionResults(runs.ToDictionary(r => r.Name, StringComparer.Ordinal), FaultRegistry.ScenarioFaults, scenarios.Count, clock.Elapsed, Concurrency, allForFaults);
        if (only.Length == 0)
        {
            DetectionReport.Write(results, Path.Combine(KitPaths.SolutionRoot, "artifacts"));
        }
        else
        {
            DetectionReport.Write(results, Path.Combine(KitPaths.SolutionRoot, "artifacts", "detection-partial"));
        }
        return results;
    }

    private static async Task<ServerRun> ReferenceRunAsync(IReadOnlyList<Scenario> scenarios)
    {
        ReferenceServerRun.Outcome run = await ReferenceServerRun.Run.ConfigureAwait(false);
        var wanted = new HashSet<string>(scenarios.Select(s => s.Id), StringComparer.Ordinal);
        return new ServerRun(Reference, run.ServerCommand, run.Results.Where(r => wanted.Contains(r.Scenario.Id)).ToList(), run.Duration);
    }

    private static async Task<ServerRun> RunOneAsync(RunOptions options, string name, IReadOnlyList<Scenario> scenarios)
    {
        var clock = Stopwatch.StartNew();
        var results = new List<ScenarioResult>();
        await foreach (ScenarioResult result in new ScenarioRunner(options).RunAsync(scenarios).ConfigureAwait(false))
        {
            results.Add(result);
        }

        return new ServerRun(name, options.ServerCommand, results, clock.Elapsed);
    }
}
