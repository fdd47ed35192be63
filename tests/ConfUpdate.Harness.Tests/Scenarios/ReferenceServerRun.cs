using System.Diagnostics;
using ConfUpdate.Harness.Running;

namespace ConfUpdate.Harness.Tests.Scenarios;

/// <summary>
/// Runs the whole scenario suite once against the reference server (staged from its build output) and
/// keeps the results: every scenario test case then reads its own result, and the detection test reuses
/// them as the reference server's false-alarm run instead of running the suite a second time. One run
/// keeps the suite fast: one shared server, one probe per identity, scenarios in parallel.
/// </summary>
internal static class ReferenceServerRun
{
    private static readonly Lazy<Task<Outcome>> s_run = new(RunAsync);

    /// <summary>Every scenario's result, by id.</summary>
    public static async Task<IReadOnlyDictionary<string, ScenarioResult>> Results() => (await s_run.Value.ConfigureAwait(false)).ById;

    /// <summary>The results in the order they finished, the server command and the run's wall time.</summary>
    public static Task<Outcome> Run => s_run.Value;

    private static async Task<Outcome> RunAsync()
    {
        using var kit = new StagedKit("dotnet test tests/ConfUpdate.Harness.Tests --filter \"Name={id}\"");
        var clock = Stopwatch.StartNew();
        var results = new List<ScenarioResult>();
        await foreach (ScenarioResult result in new ScenarioRunner(kit.Options).RunAsync(ScenarioCatalog.All))
        {
            results.Add(result);
        }

        return new Outcome(results, results.ToDictionary(r => r.Scenario.Id, StringComparer.Ordinal), kit.ReferenceServerCommand, clock.Elapsed);
    }

    /// <summary>What one run of the suite produced.</summary>
    internal sealed record Outcome(IReadOnlyList<ScenarioResult> Results, IReadOnlyDictionary<string, ScenarioResult> ById, string ServerCommand, TimeSpan Duration);
}
