using System.Runtime.Versioning;
using CliWrap;
using CliWrap.Buffered;

namespace ConfUpdate.Server.Tests.CrossUser;

/// <summary>
/// The server's command line and configuration sources as a real process: an unknown option or key stops it with
/// exit status 2 and one line naming it and the closest valid one (SPEC CONF-3); <c>--version</c> and <c>--help</c>
/// print and exit. Runs the build output directly, as the current user: nothing here listens.
/// </summary>
[SupportedOSPlatform("linux")]
[CancelAfter(30_000)]
public sealed class ServerCommandLineTests
{
    private string _directory = null!;

    private static string ServerDll => Path.Combine(TestPaths.ServerOutput, "confupdate-server.dll");

    private string SocketPath => Path.Combine(_directory, "s.sock");

    [SetUp]
    public void CreateDirectory() => _directory = Directory.CreateTempSubdirectory("confupdate-cmdline-").FullName;

    [TearDown]
    public void RemoveDirectory() => Directory.Delete(_directory, recursive: true);

    [Test]
    public async Task Version_PrintsTheVersionAndExitsZero(CancellationToken cancellationToken)
    {
        BufferedCommandResult result = await RunAsync(["--version"], cancellationToken);

        Assert.Multiple(() =>
        {
            Assert.That(result.ExitCode, Is.Zero, result.StandardError);
            Assert.That(result.StandardOutput, Does.Match(@"^confupdate-server \d+\.\d+\.\d+\S*\n$"));
        });
    }

    [Test]
    public async Task Help_PrintsUsageAndExitsZero(CancellationToken cancellationToken)
    {
        BufferedCommandResult result = await RunAsync(["--help"], cancellationToken);

        Assert.That(result.ExitCode, Is.Zero, result.StandardError);
        Assert.That(result.StandardOutput, Does.Contain("Usage:").And.Contain("--version"));
    }

    [TestCase("--bogus", "confupdate-server: unknown option --bogus; did you mean --help? (see confupdate-server --help)")]
    [TestCase("--confg=x.json", "confupdate-server: unknown option --confg; did you mean --config? (see confupdate-server --help)")]
    [TestCase("extra", "confupdate-server: unexpected argument extra (options start with --) (see confupdate-server --help)")]
    public async Task UnknownOption_Exits2_WithOneLineNamingIt(string option, string expected, CancellationToken cancellationToken)
    {
        BufferedCommandResult result = await RunAsync([option], cancellationToken);

        Assert.Multiple(() =>
        {
            Assert.That(result.ExitCode, Is.EqualTo(2));
            Assert.That(result.StandardError, Is.EqualTo(expected + "\n"));
        });
    }

    [Test]
    public async Task MisspeltKeyInTheFile_Exits2_NamingItAndTheClosestValidKey_WithoutListening(CancellationToken cancellationToken)
    {
        string config = Path.Combine(_directory, "c.json");
        await File.WriteAllTextAsync(config, $$"""
            { "ConfUpdate": { "Socket": { "Path": "{{SocketPath}}" }, "Alow": { "Users": ["www-data"] }, "Targets": [] } }
            """, cancellationToken);

        BufferedCommandResult result = await RunAsync(["--config", config], cancellationToken);

        Assert.Multiple(() =>
        {
            Assert.That(result.ExitCode, Is.EqualTo(2));
            Assert.That(result.StandardError, Is.EqualTo(
                "confupdate-server: configuration error: ConfUpdate:Alow: unknown key; did you mean ConfUpdate:Allow? "
                + "(valid here: ServerName, MaxRequestSize, Socket, Allow, Limits, Targets)\n"));
            Assert.That(File.Exists(SocketPath), Is.False, "nothing listened");
        });
    }

    [Test]
    public async Task KeyBesideTheSection_Exits2_NamingTheFile(CancellationToken cancellationToken)
    {
        string config = Path.Combine(_directory, "c.json");
        await File.WriteAllTextAsync(config, $$"""{ "ConfUpdat": { "Socket": { "Path": "{{SocketPath}}" } } }""", cancellationToken);

        BufferedCommandResult result = await RunAsync(["--config", config], cancellationToken);

        Assert.That(result.ExitCode, Is.EqualTo(2));
        Assert.That(result.StandardError, Does.StartWith($"confupdate-server: configuration error: ConfUpdat: unknown key at the top of {config}; did you mean ConfUpdate?"));
    }

    [Test]
    public async Task MisspeltOverrideOnTheCommandLine_Exits2_NamingIt(CancellationToken cancellationToken)
    {
        string config = Path.Combine(_directory, "c.json");
        await File.WriteAllTextAsync(config, $$"""{ "ConfUpdate": { "Socket": { "Path": "{{SocketPath}}" } } }""", cancellationToken);

        BufferedCommandResult result = await RunAsync(["--config", config, "--ConfUpdate:Limits:IdelTimeoutSeconds=3"], cancellationToken);

        Assert.That(result.ExitCode, Is.EqualTo(2));
        Assert.That(result.StandardError, Does.StartWith(
            "confupdate-server: configuration error: ConfUpdate:Limits:IdelTimeoutSeconds: unknown key; did you mean ConfUpdate:Limits:IdleTimeoutSeconds?"));
    }

    [Test]
    public async Task ClientVariableInTheEnvironment_IsNotTheServersKey(CancellationToken cancellationToken)
    {
        // CONFUPDATE_SOCKET is the client's variable; a shell that exports it must still run --version (and start).
        BufferedCommandResult result = await RunAsync(["--version"], cancellationToken, ("CONFUPDATE_SOCKET", "/run/x.sock"));

        Assert.That(result.ExitCode, Is.Zero, result.StandardError);
    }

    private static async Task<BufferedCommandResult> RunAsync(string[] args, CancellationToken cancellationToken, params (string Name, string Value)[] environment) =>
        await Cli.Wrap(TestPaths.Dotnet)
            .WithArguments([ServerDll, .. args])
            .WithEnvironmentVariables(env =>
            {
                foreach ((string name, string value) in environment)
                {
                    env.Set(name, value);
                }
            })
            .WithStandardInputPipe(PipeSource.Null)
            .WithValidation(CommandResultValidation.None)
            .ExecuteBufferedAsync(cancellationToken);
}
