using ConfUpdate.Harness.Environment;
using ConfUpdate.Harness.Running;

namespace ConfUpdate.Harness.Tests.Scenarios;

/// <summary>
/// The built server, client CLI and probe staged in a world-readable directory (other accounts must read
/// them), with run options that point the kit at them. Shared by every test that runs the kit.
/// </summary>
internal sealed class StagedKit : IDisposable
{
    private readonly StagingDirectory _stage = new();

    public StagedKit(string rerunTemplate)
    {
        string server = _stage.Stage(KitPaths.Output("server/ConfUpdate.Server", "confupdate-server.dll"), "server");
        string client = _stage.Stage(KitPaths.Output("client/ConfUpdate.Cli", "confupdate.dll"), "client");
        string probe = _stage.Stage(KitPaths.Output("harness/ConfUpdate.Probe", "confkit-probe.dll"), "probe");
        ReferenceServerCommand = $"{KitPaths.Dotnet} {Path.Combine(server, "confupdate-server.dll")} --config {{config}}";
        Options = new RunOptions(
            ReferenceServerCommand,
            [KitPaths.Dotnet, Path.Combine(probe, "confkit-probe.dll")],
            [KitPaths.Dotnet, Path.Combine(client, "confupdate.dll")],
            UserSwitch.Detect(SwitchStrategy.Auto))
        {
            RerunTemplate = rerunTemplate,
        };
    }

    /// <summary>The staged reference server's command line, with <c>{config}</c>.</summary>
    public string ReferenceServerCommand { get; }

    /// <summary>Run options against the staged reference server (change <c>ServerCommand</c> with <c>with</c>).</summary>
    public RunOptions Options { get; }

    public void Dispose() => _stage.Dispose();
}
