using ConfUpdate.Harness.Environment;

namespace ConfUpdate.Harness.Cli;

/// <summary>
/// The programs a run needs, staged from the build output (or the installed kit's <c>kit/</c> directory)
/// into a world-readable temporary directory so that the kit's other accounts can run them even when the
/// checkout or the tool install is under a 0700 home directory:
/// the probe and the reference client (run as each role), and the reference server when no --server is given.
/// </summary>
internal sealed class KitBinaries : IDisposable
{
    private readonly StagingDirectory _staging;

    private KitBinaries(StagingDirectory staging, string dotnet, string serverCommand, string probe, string client)
    {
        _staging = staging;
        Dotnet = dotnet;
        ServerCommand = serverCommand;
        ProbeAssembly = probe;
        ClientAssembly = client;
    }

    /// <summary>The absolute dotnet host path.</summary>
    public string Dotnet { get; }

    /// <summary>The server command template (the given one, or the staged reference server's).</summary>
    public string ServerCommand { get; }

    public string ProbeAssembly { get; }

    public string ClientAssembly { get; }

    public IReadOnlyList<string> ProbeCommand => [Dotnet, ProbeAssembly];

    public IReadOnlyList<string> ClientCommand => [Dotnet, ClientAssembly];

    /// <summary>The reference server's command for a checkout, without staging (for help and rerun hints).</summary>
    public static string ReferenceServerCommand(string dotnet, string serverDirectory) =>
        ShellWords.Join([dotnet, Path.Combine(serverDirectory, "confupdate-server.dll")]) + " --config {config}";

    /// <exception cref="UsageException">A needed project is not built.</exception>
    /// <exception cref="KitEnvironmentException">The staging directory cannot be made world-readable.</exception>
    public static KitBinaries Stage(KitPaths paths, string dotnet, string? serverCommand)
    {
        string probeOutput = paths.ProbeDirectory();
        string clientOutput = paths.ClientDirectory();
        string? serverOutput = serverCommand is null ? paths.ReferenceServerDirectory() : null;
        var staging = new StagingDirectory();
        try
        {
            string probe = Path.Combine(staging.Stage(probeOutput, "probe"), "confkit-probe.dll");
            string client = Path.Combine(staging.Stage(clientOutput, "client"), "confupdate.dll");
            string server = serverCommand ?? ReferenceServerCommand(dotnet, staging.Stage(serverOutput!, "server"));
            return new KitBinaries(staging, dotnet, server, probe, client);
        }
        catch
        {
            staging.Dispose();
            throw;
        }
    }

    public void Dispose() => _staging.Dispose();
}
