using ConfUpdate.Harness.Environment;
using ConfUpdate.Harness.Running;
using ConfUpdate.Harness.Scenarios;

namespace ConfUpdate.Harness.Tests.Scenarios;

/// <summary>
/// Runs the whole scenario suite once against the reference server (staged from its build output) and
/// keeps the results: every scenario test case then reads its own result. One run keeps the suite fast:
/// one shared server, one probe per identity, scenarios in parallel.
/// </summary>
internal static class ReferenceServerRun
{
    private static readonly Lazy<Task<IReadOnlyDictionary<string, ScenarioResult>>> s_results = new(RunAsync);

    public static Task<IReadOnlyDictionary<string, ScenarioResult>> Results => s_results.Value;

    private static async Task<IReadOnlyDictionary<string, ScenarioResult>> RunAsync()
    {
        string server = KitPaths.Output("server/ConfUpdate.Server", "confupdate-server.dll");
        string client = KitPaths.Output("client/ConfUpdate.Cli", "confupdate.dll");
        string probe = KitPaths.Output("harness/ConfUpdate.Probe", "confkit-probe.dll");
        // Other accounts must read the binaries: stage them in a world-readable directory.
        using var stage = new StagingDirectory();
        string stagedServer = stage.Stage(server, "server");
        string stagedClient = stage.Stage(client, "client");
        string stagedProbe = stage.Stage(probe, "probe");
        var options = new RunOptions(
            $"{KitPaths.Dotnet} {Path.Combine(stagedServer, "confupdate-server.dll")} --config {{config}}",
            [KitPaths.Dotnet, Path.Combine(stagedProbe, "confkit-probe.dll")],
            [KitPaths.Dotnet, Path.Combine(stagedClient, "confupdate.dll")],
            UserSwitch.Detect(SwitchStrategy.Auto))
        {
            RerunTemplate = "dotnet test tests/ConfUpdate.Harness.Tests --filter \"Name={id}\"",
        };

        var results = new Dictionary<string, ScenarioResult>(StringComparer.Ordinal);
        await foreach (ScenarioResult result in new ScenarioRunner(options).RunAsync(ScenarioCatalog.All))
        {
            results[result.Scenario.Id] = result;
        }

        return results;
    }
}
