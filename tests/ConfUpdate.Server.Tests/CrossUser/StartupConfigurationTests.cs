using System.Diagnostics;
using System.Runtime.Versioning;
using CliWrap;
using CliWrap.Buffered;
using ConfUpdate.Harness.Environment;

namespace ConfUpdate.Server.Tests.CrossUser;

/// <summary>A bad configuration stops the server before it listens, quickly and with a message naming the problem (SPEC CONF-2, TRANS-3, PROF-3).</summary>
[SupportedOSPlatform("linux")]
public sealed class StartupConfigurationTests : CrossUserTestBase
{
    private static readonly TimeSpan s_exitWithin = TimeSpan.FromSeconds(5);

    [Test]
    [CancelAfter(30_000)]
    public async Task Startup_WithUnknownUser_ExitsNonZeroNamingTheUser(CancellationToken cancellationToken)
    {
        KitConfigFile config = DefaultConfig() with { Allow = new KitAllowConfig { Users = ["www-data", "confkit-no-such-user"] } };

        BufferedCommandResult result = await RunServerToExitAsync(config, cancellationToken);

        Assert.That(result.ExitCode, Is.Not.Zero, Describe(result));
        Assert.That(result.StandardError, Does.Contain("confkit-no-such-user"), Describe(result));
        Assert.That(File.Exists(SocketPath), Is.False, "no socket created");
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task Startup_WithMissingTargetDirectory_ExitsNonZeroNamingThePath(CancellationToken cancellationToken)
    {
        string missing = Path.Combine(WorkDir, "no-such-dir");
        KitConfigFile config = DefaultConfig(targets: [SiteTarget() with { Path = Path.Combine(missing, "site.conf") }]);

        BufferedCommandResult result = await RunServerToExitAsync(config, cancellationToken);

        Assert.That(result.ExitCode, Is.Not.Zero, Describe(result));
        Assert.That(result.StandardError, Does.Contain(missing), Describe(result));
        Assert.That(Directory.Exists(missing), Is.False, "the server must not create the directory");
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task Startup_WithRegularFileAtSocketPath_ExitsNonZeroAndLeavesTheFile(CancellationToken cancellationToken)
    {
        byte[] precious = "not a socket\n"u8.ToArray();
        await File.WriteAllBytesAsync(SocketPath, precious, cancellationToken);

        BufferedCommandResult result = await RunServerToExitAsync(DefaultConfig(), cancellationToken);

        Assert.That(result.ExitCode, Is.Not.Zero, Describe(result));
        Assert.That(result.StandardError, Does.Contain(SocketPath), Describe(result));
        Assert.That(File.ReadAllBytes(SocketPath), Is.EqualTo(precious), "the file is left untouched (TRANS-3 case 3)");
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task Startup_WithLiveServerAtSocketPath_ExitsNonZeroAndFirstServerKeepsServing(CancellationToken cancellationToken)
    {
        SeedSite();
        ServerProcess first = await StartServerAsync(DefaultConfig(), cancellationToken);

        BufferedCommandResult second = await RunServerToExitAsync(DefaultConfig(), cancellationToken);

        Assert.That(second.ExitCode, Is.Not.Zero, Describe(second));
        Assert.That(second.StandardError, Does.Contain(SocketPath), Describe(second));
        Assert.That(first.HasExited, Is.False);
        BufferedCommandResult hello = await RunCliAsync(WwwData, cancellationToken, "hello");
        Assert.That(hello.ExitCode, Is.Zero, "the first server's socket was not disturbed: " + Describe(hello));
    }

    /// <summary>Runs the server with <paramref name="config"/> and expects it to exit by itself within 5 s (SPEC PROF-3).</summary>
    private async Task<BufferedCommandResult> RunServerToExitAsync(KitConfigFile config, CancellationToken cancellationToken)
    {
        string configPath = Path.Combine(WorkDir, "bad-config.json");
        config.WriteTo(configPath);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(s_exitWithin + TimeSpan.FromSeconds(1));
        var stopwatch = Stopwatch.StartNew();
        try
        {
            BufferedCommandResult result = await Cli.Wrap(TestPaths.Dotnet)
                .WithArguments([ServerDll, "--config", configPath])
                .WithStandardInputPipe(PipeSource.Null)
                .WithValidation(CommandResultValidation.None)
                .ExecuteBufferedAsync(deadline.Token);
            Assert.That(stopwatch.Elapsed, Is.LessThan(s_exitWithin), "a configuration error must stop the server within 5 s (PROF-3)");
            return result;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // CliWrap killed it on the deadline.
            Assert.Fail($"the server did not exit within {s_exitWithin.TotalSeconds} s of a configuration error (PROF-3); it was killed");
            throw;
        }
    }
}
