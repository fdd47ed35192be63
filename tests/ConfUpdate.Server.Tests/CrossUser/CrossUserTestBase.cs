using System.Runtime.Versioning;
using System.Security.Cryptography;
using System.Text.Json;
using CliWrap;
using CliWrap.Buffered;
using ConfUpdate.Harness.Environment;

namespace ConfUpdate.Server.Tests.CrossUser;

/// <summary>
/// Shared set-up for tests that run the REAL server (staged build output, as root) and the REAL client CLI
/// as other Unix accounts. Binaries are staged once per fixture in a world-readable directory; each test
/// gets a fresh 0755 work directory (socket, config, targets) and its server is stopped in TearDown,
/// even when the test fails.
/// </summary>
[SupportedOSPlatform("linux")]
[NonParallelizable]
public abstract class CrossUserTestBase
{
    private readonly List<ServerProcess> _servers = [];

    protected StagingDirectory Staging { get; private set; } = null!;
    protected UserSwitch Switch { get; private set; } = null!;
    protected UnixAccount WwwData { get; private set; } = null!;
    protected UnixAccount Nobody { get; private set; } = null!;
    protected UnixAccount Member { get; private set; } = null!;
    protected UnixAccount Stranger { get; private set; } = null!;
    protected UnixAccount Root { get; private set; } = null!;
    protected string ServerDll { get; private set; } = null!;
    protected string CliDll { get; private set; } = null!;

    protected string WorkDir { get; private set; } = null!;
    protected string SocketPath => Path.Combine(WorkDir, "confupdate.sock");
    protected string ConfigPath => Path.Combine(WorkDir, "config.json");
    protected string TargetDir => Path.Combine(WorkDir, "targets");
    protected string SitePath => Path.Combine(TargetDir, "site.conf");
    protected RawClient Raw { get; private set; } = null!;

    /// <summary>The command template of the server under test (SPEC PROF-1).</summary>
    protected string ServerTemplate => $"{ShellWords.Quote(TestPaths.Dotnet)} {ShellWords.Quote(ServerDll)} --config {{config}}";

    [OneTimeSetUp]
    public async Task StageBinariesAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        KitCleanup.InstallHandlers();
        Staging = new StagingDirectory();
        ServerDll = Path.Combine(Staging.Stage(TestPaths.ServerOutput, "server"), "confupdate-server.dll");
        CliDll = Path.Combine(Staging.Stage(TestPaths.CliOutput, "cli"), "confupdate.dll");
        Assert.That(File.Exists(ServerDll), $"server not built: {ServerDll}");
        Assert.That(File.Exists(CliDll), $"CLI not built: {CliDll}");

        // No skipping: if users cannot be switched here, every test fails and says why.
        Switch = UserSwitch.Detect(SwitchStrategy.Auto);
        var roles = new Dictionary<string, string>
        {
            ["allowed"] = "www-data",
            ["denied"] = "nobody",
            ["group-member"] = "confkit-member",
            ["stranger"] = "confkit-stranger",
        };
        IReadOnlyDictionary<string, UnixAccount> accounts = await EnvironmentCheck.VerifyAsync(
            Switch, roles, [TestPaths.Dotnet, "/usr/bin/python3"], [CliDll], timeout.Token);
        WwwData = accounts["allowed"];
        Nobody = accounts["denied"];
        Member = accounts["group-member"];
        Stranger = accounts["stranger"];
        Root = UnixAccount.Lookup("root");
    }

    [OneTimeTearDown]
    public void RemoveStaging() => Staging?.Dispose();

    [SetUp]
    public void CreateWorkDirectory()
    {
        WorkDir = Path.Combine(Path.GetTempPath(), "confkit-it-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(WorkDir);
        File.SetUnixFileMode(WorkDir, KitConfigFile.ParseMode("0755"));
        Directory.CreateDirectory(TargetDir);
        File.SetUnixFileMode(TargetDir, KitConfigFile.ParseMode("0755"));
        Raw = new RawClient(Switch, WorkDir);
    }

    [TearDown]
    public async Task StopServersAndRemoveWorkDirectoryAsync()
    {
        foreach (ServerProcess server in _servers)
        {
            if (TestContext.CurrentContext.Result.Outcome.Status == NUnit.Framework.Interfaces.TestStatus.Failed)
            {
                await TestContext.Out.WriteLineAsync($"server pid {server.Pid} stderr tail:\n{server.StderrTail(30)}");
            }

            await server.DisposeAsync();
        }

        _servers.Clear();
        if (Directory.Exists(WorkDir))
        {
            Directory.Delete(WorkDir, recursive: true);
        }
    }

    /// <summary>The standard configuration: www-data by name, group confkit-writers; socket 0666 so the peer check is what decides.</summary>
    protected KitConfigFile DefaultConfig(IReadOnlyList<string>? groups = null, IReadOnlyList<KitTargetConfig>? targets = null) =>
        new(
            new KitSocketConfig(SocketPath) { Mode = KitConfigFile.ParseMode("0666") },
            new KitAllowConfig { Users = ["www-data"], Groups = groups ?? ["confkit-writers"] },
            targets ?? [SiteTarget()])
        {
            ServerName = "confupdate-integration",
        };

    protected KitTargetConfig SiteTarget() =>
        new("site", SitePath) { Owner = "root", Group = "www-data", Mode = KitConfigFile.ParseMode("0640") };

    protected async Task<ServerProcess> StartServerAsync(KitConfigFile config, CancellationToken cancellationToken, string? template = null)
    {
        config.WriteTo(ConfigPath);
        var launch = new ServerLaunch(template ?? ServerTemplate, SocketPath, ConfigPath) { ReadyTimeout = TimeSpan.FromSeconds(15) };
        ServerProcess server = await ServerProcess.StartAsync(launch, cancellationToken);
        _servers.Add(server);
        return server;
    }

    /// <summary>Runs the real CLI as <paramref name="account"/> with <c>--socket</c> and <c>--json</c>.</summary>
    protected Task<BufferedCommandResult> RunCliAsync(UnixAccount account, CancellationToken cancellationToken, params string[] arguments) =>
        Switch.Wrap(account, TestPaths.Dotnet, [CliDll, "--socket", SocketPath, "--json", .. arguments])
            .WithStandardInputPipe(PipeSource.Null)
            .ExecuteBufferedAsync(cancellationToken)
            .Task;

    /// <summary>Writes content to a world-readable input file for the CLI's <c>--file</c>.</summary>
    protected string WriteInputFile(byte[] content)
    {
        string path = Path.Combine(WorkDir, "input-" + Guid.NewGuid().ToString("N")[..8]);
        File.WriteAllBytes(path, content);
        File.SetUnixFileMode(path, KitConfigFile.ParseMode("0644"));
        return path;
    }

    /// <summary>Creates the target with known content, owned by nobody, mode 0666: a REPLACE must fix all of it (SPEC TGT-3).</summary>
    protected byte[] SeedSite(string text = "original content\n")
    {
        byte[] content = System.Text.Encoding.UTF8.GetBytes(text);
        File.WriteAllBytes(SitePath, content);
        File.SetUnixFileMode(SitePath, KitConfigFile.ParseMode("0666"));
        return content;
    }

    protected static string Sha256Hex(byte[] content) => Convert.ToHexStringLower(SHA256.HashData(content));

    protected static JsonElement Json(BufferedCommandResult result)
    {
        string line = result.StandardOutput.Trim().Split('\n').LastOrDefault() ?? "";
        try
        {
            return JsonDocument.Parse(line).RootElement.Clone();
        }
        catch (JsonException ex)
        {
            Assert.Fail($"CLI printed no JSON (exit {result.ExitCode}); stdout: {result.StandardOutput} stderr: {result.StandardError} ({ex.Message})");
            throw;
        }
    }

    protected static string Describe(BufferedCommandResult result) =>
        $"exit {result.ExitCode}; stdout: {result.StandardOutput.Trim()}; stderr: {result.StandardError.Trim()}";

    /// <summary>Temporary files of a REPLACE start with '.' and end with '.tmp' (SPEC DUR-1); none may outlive a request (DUR-2).</summary>
    protected string[] TempFilesInTargetDir() =>
        [.. Directory.GetFiles(TargetDir).Select(Path.GetFileName).Where(n => n!.StartsWith('.') && n.EndsWith(".tmp", StringComparison.Ordinal)).Select(n => n!)];

    /// <summary>
    /// The temporary files still there after up to <paramref name="settle"/>: a request whose client has gone is
    /// still being validated or installed when the test looks, and its temporary file goes only when it ends.
    /// </summary>
    protected async Task<string[]> TempFilesLeftAfterAsync(TimeSpan settle, CancellationToken cancellationToken)
    {
        DateTime deadline = DateTime.UtcNow + settle;
        string[] temps = TempFilesInTargetDir();
        while (temps.Length > 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50, cancellationToken);
            temps = TempFilesInTargetDir();
        }

        return temps;
    }

    /// <summary>Owner uid, group gid and permission bits of a file, as stat(1) reports them.</summary>
    protected static async Task<(uint Uid, uint Gid, string Mode)> StatAsync(string path, CancellationToken cancellationToken)
    {
        BufferedCommandResult result = await Cli.Wrap("stat").WithArguments(["-c", "%u %g %04a", path]).ExecuteBufferedAsync(cancellationToken);
        string[] fields = result.StandardOutput.Trim().Split(' ');
        return (uint.Parse(fields[0], System.Globalization.CultureInfo.InvariantCulture),
            uint.Parse(fields[1], System.Globalization.CultureInfo.InvariantCulture),
            fields[2]);
    }
}
