using System.Diagnostics;
using ConfUpdate.Harness.Environment;

namespace ConfUpdate.Client.DependencyInjection.Tests;

/// <summary>
/// The reference server from this build, started as a real process (as root, like the tests) in a fresh
/// 0755 directory with one target, <c>site</c>, that root may replace. Stopped and removed on dispose.
/// </summary>
internal sealed class RealServer : IAsyncDisposable
{
    private readonly List<ServerProcess> _processes = [];

    public RealServer()
    {
        WorkDir = Directory.CreateTempSubdirectory("confupdate-di-").FullName;
        File.SetUnixFileMode(WorkDir, KitConfigFile.ParseMode("0755"));
    }

    public string WorkDir { get; }

    public string SocketPath => Path.Combine(WorkDir, "confupdate.sock");

    public string SitePath => Path.Combine(WorkDir, "site.conf");

    public ServerProcess? Current { get; private set; }

    public static string ServerDll { get; } = Path.Combine(FindRepoRoot(), "server", "ConfUpdate.Server", "bin", Configuration(), "net10.0", "confupdate-server.dll");

    /// <summary>Starts the server with the given limits and validator for <c>site</c>; the same configuration on every restart.</summary>
    public async Task<ServerProcess> StartAsync(KitLimitsConfig? limits, IReadOnlyList<string>? validator, CancellationToken cancellationToken)
    {
        string config = Path.Combine(WorkDir, "config.json");
        new KitConfigFile(
            new KitSocketConfig(SocketPath) { Mode = KitConfigFile.ParseMode("0600") },
            // uid 0 is admitted only when listed (SPEC AUTH-5): these tests are the client, as root.
            new KitAllowConfig { Users = ["root"] },
            [new KitTargetConfig("site", SitePath) { Mode = KitConfigFile.ParseMode("0640"), Validator = validator }])
        {
            ServerName = "confupdate-di-tests",
            Limits = limits,
        }.WriteTo(config);
        string template = $"{ShellWords.Quote(DotnetHost.Find())} {ShellWords.Quote(ServerDll)} --config {{config}}";
        ServerProcess server = await ServerProcess.StartAsync(
            new ServerLaunch(template, SocketPath, config) { ReadyTimeout = TimeSpan.FromSeconds(30) }, cancellationToken);
        _processes.Add(server);
        Current = server;
        return server;
    }

    /// <summary>SIGKILL to the server and its children (a validator it runs): no reply, no clean-up, like a crash.</summary>
    public async Task KillAsync(CancellationToken cancellationToken)
    {
        ServerProcess server = Current ?? throw new InvalidOperationException("no server running");
        using (var process = Process.GetProcessById(server.Pid))
        {
            process.Kill(entireProcessTree: true);
        }

        await server.WaitForExitAsync(cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (ServerProcess server in _processes)
        {
            await server.DisposeAsync();
        }

        Directory.Delete(WorkDir, recursive: true);
    }

    private static string Configuration() => new DirectoryInfo(AppContext.BaseDirectory.TrimEnd('/')).Parent?.Name ?? "Release";

    private static string FindRepoRoot()
    {
        for (DirectoryInfo? dir = new(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "ConformanceKit.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"No ConformanceKit.sln above {AppContext.BaseDirectory}.");
    }
}
