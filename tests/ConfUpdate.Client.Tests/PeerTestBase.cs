namespace ConfUpdate.Client.Tests;

/// <summary>A fresh temp directory per test, a scripted peer in it, and cleanup even on failure.</summary>
public abstract class PeerTestBase
{
    private TempDirectory? _directory;
    private readonly List<IAsyncDisposable> _cleanup = [];

    internal TempDirectory Directory => _directory ?? throw new InvalidOperationException("SetUp has not run.");

    internal string SocketPath => Directory.File("s.sock");

    /// <summary>Every await in these tests is bounded; NUnit cancels this token on [CancelAfter].</summary>
    internal static CancellationToken TestToken => TestContext.CurrentContext.CancellationToken;

    internal static ConfUpdateClientOptions Options(string socketPath) =>
        new ConfUpdateClientOptions(socketPath).WithRequestTimeout(TimeSpan.FromSeconds(5));

    [SetUp]
    public void CreateDirectory() => _directory = TempDirectory.Create();

    [TearDown]
    public async Task CleanUp()
    {
        for (int i = _cleanup.Count - 1; i >= 0; i--)
        {
            await _cleanup[i].DisposeAsync();
        }

        _cleanup.Clear();
        _directory?.Dispose();
        _directory = null;
    }

    internal ScriptedPeer StartPeer(Func<PeerConnection, CancellationToken, Task> script) => Track(ScriptedPeer.Start(SocketPath, script));

    internal async Task<ConfUpdateClient> ConnectAsync(ConfUpdateClientOptions? options = null) =>
        Track(await ConfUpdateClient.ConnectAsync(options ?? Options(SocketPath), TestToken));

    internal T Track<T>(T disposable) where T : IAsyncDisposable
    {
        _cleanup.Add(disposable);
        return disposable;
    }
}
