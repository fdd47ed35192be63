using System.Text;
using ConfUpdate.Harness.Environment;
using ConfUpdate.Protocol;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ConfUpdate.Client.DependencyInjection.Tests;

/// <summary>
/// The registered client against the real reference server: it reconnects after the server's idle timeout
/// and after a restart, and a REPLACE whose reply was lost is reported, not sent again.
/// </summary>
[NonParallelizable]
public sealed class ReconnectTests
{
    private RealServer _server = null!;
    private RecordingLoggerProvider _logs = null!;
    private ServiceProvider _provider = null!;

    [OneTimeSetUp]
    public void InstallCleanup() => KitCleanup.InstallHandlers();

    [SetUp]
    public void CreateServerDirectoryAndContainer()
    {
        _server = new RealServer();
        _logs = new RecordingLoggerProvider();
        IConfiguration configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["ConfUpdate:SocketPath"] = _server.SocketPath,
                ["ConfUpdate:RequestTimeout"] = "00:00:30",
            })
            .Build();
        var services = new ServiceCollection();
        services.AddLogging(logging => logging.AddProvider(_logs).SetMinimumLevel(LogLevel.Debug));
        services.AddConfUpdateClient(configuration.GetSection("ConfUpdate"));
        _provider = services.BuildServiceProvider();
    }

    [TearDown]
    public async Task StopServerAsync()
    {
        if (TestContext.CurrentContext.Result.Outcome.Status == NUnit.Framework.Interfaces.TestStatus.Failed)
        {
            await TestContext.Out.WriteLineAsync("client log:\n" + string.Join("\n", _logs.Entries.Select(e => $"  {e.Level} {e.Event.Id} {e.Message}")));
            if (_server.Current is { } current)
            {
                await TestContext.Out.WriteLineAsync("server stderr tail:\n" + current.StderrTail(30));
            }
        }

        await _provider.DisposeAsync();
        await _server.DisposeAsync();
        _logs.Dispose();
    }

    private IConfUpdateClient Client => _provider.GetRequiredService<IConfUpdateClient>();

    private int LoggedEvents(int eventId) => _logs.Entries.Count(e => e.Event.Id == eventId);

    [Test]
    [CancelAfter(60_000)]
    public async Task Call_AfterTheServersIdleTimeout_Succeeds(CancellationToken cancellationToken)
    {
        await _server.StartAsync(new KitLimitsConfig { IdleTimeoutSeconds = 1 }, validator: null, cancellationToken);
        HelloInfo first = await Client.HelloAsync(cancellationToken);

        // Past the 1 s idle timeout (SPEC CONN-2), the server has closed the connection the client holds.
        await Task.Delay(TimeSpan.FromSeconds(2.5), cancellationToken);
        ContentVersion version = await Client.ReplaceAsync("site", Encoding.UTF8.GetBytes("after idle\n"), cancellationToken: cancellationToken);

        Assert.Multiple(() =>
        {
            Assert.That(first.ServerName, Is.EqualTo("confupdate-di-tests"));
            Assert.That(File.ReadAllText(_server.SitePath), Is.EqualTo("after idle\n"));
            Assert.That(version, Is.EqualTo(ContentVersion.Of(Encoding.UTF8.GetBytes("after idle\n"))));
            Assert.That(LoggedEvents(2), Is.EqualTo(1), "expected one 'server closed the connection; connecting again'");
            Assert.That(LoggedEvents(3), Is.EqualTo(1), "expected one reconnect");
        });
    }

    [Test]
    [CancelAfter(90_000)]
    public async Task Call_AfterAServerRestart_Succeeds(CancellationToken cancellationToken)
    {
        await _server.StartAsync(limits: null, validator: null, cancellationToken);
        await Client.ReplaceAsync("site", Encoding.UTF8.GetBytes("one\n"), cancellationToken: cancellationToken);

        await _server.Current!.StopAsync(TimeSpan.FromSeconds(10), cancellationToken);
        await _server.StartAsync(limits: null, validator: null, cancellationToken);
        TargetVersion version = await Client.GetVersionAsync("site", cancellationToken);

        Assert.Multiple(() =>
        {
            Assert.That(version.Exists, Is.True);
            Assert.That(version.Version, Is.EqualTo(ContentVersion.Of(Encoding.UTF8.GetBytes("one\n"))));
            Assert.That(LoggedEvents(3), Is.EqualTo(1), "expected one reconnect");
        });
    }

    [Test]
    [CancelAfter(90_000)]
    public async Task Replace_WhoseReplyIsLost_IsReportedAsOutcomeUnknownAndNotSentAgain(CancellationToken cancellationToken)
    {
        // The validator records each run, then blocks: the server has read the REPLACE and is carrying it
        // out when it is killed, so no reply ever comes. Each REPLACE that reaches a server runs it once.
        byte[] original = Encoding.UTF8.GetBytes("original\n");
        File.WriteAllBytes(_server.SitePath, original);
        string runs = Path.Combine(_server.WorkDir, "validator-runs");
        string[] validator = ["/bin/sh", "-c", $"echo run >> {ShellWords.Quote(runs)}; exec sleep 60", "validator", "{file}"];
        var limits = new KitLimitsConfig { ValidatorTimeoutSeconds = 60 };
        await _server.StartAsync(limits, validator, cancellationToken);
        await Client.HelloAsync(cancellationToken);

        Task<ContentVersion> replace = Client.ReplaceAsync("site", Encoding.UTF8.GetBytes("lost\n"), cancellationToken: cancellationToken);
        await WaitUntilAsync(() => RunCount(runs) == 1, cancellationToken);
        await _server.KillAsync(cancellationToken);
        ConfUpdateOutcomeUnknownException? error = await Assert.ThrowsAsync<ConfUpdateOutcomeUnknownException>(async () => await replace);

        // A new server on the same socket: the client reconnects for the next call, and the lost REPLACE
        // must not reach it (it would run the validator again).
        await _server.StartAsync(limits, validator, cancellationToken);
        TargetVersion after = await Client.GetVersionAsync("site", cancellationToken);
        await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);

        Assert.Multiple(() =>
        {
            Assert.That(error!.Target, Is.EqualTo("site"));
            Assert.That(error.InnerException, Is.TypeOf<ConfUpdateConnectionException>());
            Assert.That(RunCount(runs), Is.EqualTo(1), "the validator ran again: the REPLACE was re-sent");
            Assert.That(after.Version, Is.EqualTo(ContentVersion.Of(original)), "the target changed");
            Assert.That(File.ReadAllBytes(_server.SitePath), Is.EqualTo(original));
            Assert.That(_server.Current!.OutputLines.Where(l => l.Contains("REPLACE", StringComparison.Ordinal)), Is.Empty,
                "the restarted server logged a REPLACE");
            Assert.That(LoggedEvents(5), Is.EqualTo(1), "expected one 'outcome unknown' warning");
        });
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task ConcurrentCalls_OnTheSharedClient_AllSucceed(CancellationToken cancellationToken)
    {
        await _server.StartAsync(limits: null, validator: null, cancellationToken);

        Task<TargetVersion>[] calls = [.. Enumerable.Range(0, 20).Select(_ => Client.GetVersionAsync("site", cancellationToken))];
        TargetVersion[] results = await Task.WhenAll(calls);

        Assert.Multiple(() =>
        {
            Assert.That(results, Has.Length.EqualTo(20));
            Assert.That(results.Select(r => r.Exists), Is.All.False);
            Assert.That(LoggedEvents(1), Is.EqualTo(1), "expected a single connection");
        });
    }

    private static int RunCount(string path) => File.Exists(path) ? File.ReadAllLines(path).Length : 0;

    private static async Task WaitUntilAsync(Func<bool> condition, CancellationToken cancellationToken)
    {
        while (!condition())
        {
            await Task.Delay(20, cancellationToken);
        }
    }
}
