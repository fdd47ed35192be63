using System.Diagnostics;
using System.Runtime.Versioning;
using CliWrap.Buffered;
using ConfUpdate.Harness.Environment;

namespace ConfUpdate.Server.Tests.CrossUser;

/// <summary>Shutdown and restart (SPEC LIFE-1, LIFE-2, PROF-3).</summary>
[SupportedOSPlatform("linux")]
public sealed class LifecycleTests : CrossUserTestBase
{
    [Test]
    [CancelAfter(60_000)]
    public async Task Sigterm_RemovesSocketAndExitsZero(CancellationToken cancellationToken)
    {
        ServerProcess server = await StartServerAsync(DefaultConfig(), cancellationToken);
        Assert.That(File.Exists(SocketPath), Is.True, "socket created");
        var stopwatch = Stopwatch.StartNew();

        int exitCode = await server.StopAsync(TimeSpan.FromSeconds(15), cancellationToken);

        Assert.That(exitCode, Is.Zero, "exit status 0 after SIGTERM (LIFE-1); stderr:\n" + server.StderrTail());
        Assert.That(File.Exists(SocketPath), Is.False, "socket file removed (LIFE-1)");
        Assert.That(stopwatch.Elapsed, Is.LessThan(TimeSpan.FromSeconds(15)), "exits within the grace period plus 5 s (PROF-3)");
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task Restart_AfterCrash_StartsOverStaleSocket(CancellationToken cancellationToken)
    {
        ServerProcess crashed = await StartServerAsync(DefaultConfig(), cancellationToken);
        await crashed.DisposeAsync(); // SIGKILL: the socket file stays behind
        Assert.That(File.Exists(SocketPath), Is.True, "precondition: a stale socket is left");

        await StartServerAsync(DefaultConfig(), cancellationToken);
        BufferedCommandResult hello = await RunCliAsync(WwwData, cancellationToken, "hello");

        Assert.That(hello.ExitCode, Is.Zero, "LIFE-2 / TRANS-3 case 1: " + Describe(hello));
    }
}
