using System.Diagnostics;
using System.Runtime.Versioning;
using ConfUpdate.Harness.Environment;

namespace ConfUpdate.Harness.Tests.Environment;

[SupportedOSPlatform("linux")]
public sealed class ServerProcessTests
{
    private string _dir = null!;

    [SetUp]
    public void SetUp() => _dir = Directory.CreateTempSubdirectory("confkit-sp-").FullName;

    [TearDown]
    public void TearDown()
    {
        KitCleanup.KillAll();
        Directory.Delete(_dir, recursive: true);
    }

    private ServerLaunch Launch(string template) =>
        new(template, Path.Combine(_dir, "s.sock"), Path.Combine(_dir, "config.json")) { ReadyTimeout = TimeSpan.FromSeconds(5) };

    [Test]
    [CancelAfter(20_000)]
    public async Task StartAsync_ListeningServer_IsReadyAndStopsCleanlyOnSigterm(CancellationToken cancellationToken)
    {
        await using ServerProcess server = await ServerProcess.StartAsync(Launch(FakeServers.Template(_dir, "listener", FakeServers.Listener)), cancellationToken);

        Assert.That(server.HasExited, Is.False);
        Assert.That(server.CountOpenFileDescriptors(), Is.GreaterThan(2));
        Assert.That(KitCleanup.RegisteredProcesses, Does.Contain(server.Pid));

        int exitCode = await server.StopAsync(TimeSpan.FromSeconds(5), cancellationToken);

        Assert.That(exitCode, Is.Zero);
        Assert.That(File.Exists(Path.Combine(_dir, "s.sock")), Is.False);
        Assert.That(server.OutputLines, Does.Contain("fake server starting"));
    }

    [Test]
    [CancelAfter(20_000)]
    public async Task StartAsync_ReadyOnNotifySocket_WithoutListening(CancellationToken cancellationToken)
    {
        await using ServerProcess server = await ServerProcess.StartAsync(Launch(FakeServers.Template(_dir, "notify", FakeServers.NotifyOnly)), cancellationToken);

        Assert.That(server.ReadyByNotify, Is.True);
    }

    [Test]
    [CancelAfter(20_000)]
    public async Task StartAsync_ServerExitsEarly_ThrowsWithExitCodeAndStderr(CancellationToken cancellationToken)
    {
        ServerLaunch launch = Launch("/bin/sh -c 'echo bad config: Targets[0].Path >&2; exit 2'");

        var ex = await Assert.ThrowsAsync<ServerStartException>(() => ServerProcess.StartAsync(launch, cancellationToken));

        Assert.That(ex!.ExitCode, Is.EqualTo(2));
        Assert.That(ex.StderrTail, Does.Contain("bad config: Targets[0].Path"));
        Assert.That(ex.Message, Does.Contain("exited with code 2"));
    }

    [Test]
    [CancelAfter(20_000)]
    public async Task StartAsync_NeverReady_TimesOutAndKillsTheServer(CancellationToken cancellationToken)
    {
        ServerLaunch launch = Launch("/bin/sh -c 'exec sleep 600'") with { ReadyTimeout = TimeSpan.FromMilliseconds(400) };
        var stopwatch = Stopwatch.StartNew();

        var ex = await Assert.ThrowsAsync<ServerStartException>(() => ServerProcess.StartAsync(launch, cancellationToken));

        Assert.That(ex!.ExitCode, Is.Null);
        Assert.That(stopwatch.Elapsed, Is.LessThan(TimeSpan.FromSeconds(5)));
        Assert.That(KitCleanup.RegisteredProcesses, Is.Empty);
    }

    [Test]
    [CancelAfter(20_000)]
    public async Task StartAsync_SocketAlreadyServed_Refuses(CancellationToken cancellationToken)
    {
        string template = FakeServers.Template(_dir, "listener", FakeServers.Listener);
        await using ServerProcess first = await ServerProcess.StartAsync(Launch(template), cancellationToken);

        var ex = await Assert.ThrowsAsync<ServerStartException>(() => ServerProcess.StartAsync(Launch(template), cancellationToken));

        Assert.That(ex!.Message, Does.Contain("already listening"));
        Assert.That(first.HasExited, Is.False);
    }

    [Test]
    [CancelAfter(20_000)]
    public async Task StopAsync_IgnoredSigterm_KillsWholeTreeAfterGrace(CancellationToken cancellationToken)
    {
        ServerProcess server = await ServerProcess.StartAsync(Launch(FakeServers.Template(_dir, "stubborn", FakeServers.Stubborn)), cancellationToken);
        await using (server)
        {
            int child = await ChildPidAsync(server, cancellationToken);

            int exitCode = await server.StopAsync(TimeSpan.FromMilliseconds(300), cancellationToken);

            Assert.That(exitCode, Is.Not.Zero);
            Assert.That(await GoneAsync(child, cancellationToken), Is.True, $"grandchild {child} survived");
        }
    }

    [Test]
    [CancelAfter(20_000)]
    public async Task StopAsync_ServerLeavesChildHoldingOutput_CompletesAndKillsTheChild(CancellationToken cancellationToken)
    {
        await using ServerProcess server = await ServerProcess.StartAsync(Launch(FakeServers.Template(_dir, "leaves", FakeServers.LeavesChild)), cancellationToken);
        int child = await ChildPidAsync(server, cancellationToken);
        var stopwatch = Stopwatch.StartNew();

        int exitCode = await server.StopAsync(TimeSpan.FromSeconds(5), cancellationToken);

        Assert.That(exitCode, Is.Zero);
        Assert.That(stopwatch.Elapsed, Is.LessThan(TimeSpan.FromSeconds(4)), "did not wait for the orphan to close the pipes");
        Assert.That(await GoneAsync(child, cancellationToken), Is.True, $"orphan {child} survived");
    }

    [Test]
    [CancelAfter(20_000)]
    public async Task KitCleanupKillAll_KillsRegisteredServerTree(CancellationToken cancellationToken)
    {
        await using ServerProcess server = await ServerProcess.StartAsync(Launch(FakeServers.Template(_dir, "stubborn", FakeServers.Stubborn)), cancellationToken);
        int child = await ChildPidAsync(server, cancellationToken);

        KitCleanup.KillAll();

        await server.Exited.WaitAsync(TimeSpan.FromSeconds(5), cancellationToken);
        Assert.That(await GoneAsync(child, cancellationToken), Is.True, $"grandchild {child} survived");
    }

    private static async Task<int> ChildPidAsync(ServerProcess server, CancellationToken cancellationToken)
    {
        while (true)
        {
            string? line = server.OutputLines.FirstOrDefault(l => l.StartsWith("child=", StringComparison.Ordinal));
            if (line is not null)
            {
                return int.Parse(line["child=".Length..], System.Globalization.CultureInfo.InvariantCulture);
            }

            await Task.Delay(10, cancellationToken);
        }
    }

    private static async Task<bool> GoneAsync(int pid, CancellationToken cancellationToken)
    {
        for (int i = 0; i < 200; i++)
        {
            string stat = $"/proc/{pid}/stat";
            if (!File.Exists(stat) || File.ReadAllText(stat).Contains(") Z ", StringComparison.Ordinal))
            {
                return true;
            }

            await Task.Delay(10, cancellationToken);
        }

        return false;
    }
}
