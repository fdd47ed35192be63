using ConfUpdate.Protocol;

namespace ConfUpdate.Client.Tests;

[CancelAfter(10_000)]
public sealed class ClientCancellationTests : PeerTestBase
{
    /// <summary>A peer that reads every request and never answers.</summary>
    private static async Task Silent(PeerConnection peer, CancellationToken ct)
    {
        while ((await peer.ReceiveRawAsync(ct)).Length > 0)
        {
        }
    }

    [Test]
    public async Task Cancelling_AnInFlightRequest_ThrowsWithTheCallersToken_AndClosesTheClient()
    {
        StartPeer(Silent);
        await using ConfUpdateClient client = await ConnectAsync();
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(TestToken);
        cts.CancelAfter(TimeSpan.FromMilliseconds(200));

        var ex = await Assert.CatchAsync<OperationCanceledException>(() => client.GetVersionAsync("site", cts.Token));
        var after = await Assert.ThrowsAsync<ConfUpdateConnectionException>(() => client.HelloAsync(TestToken));

        Assert.Multiple(() =>
        {
            Assert.That(ex!.CancellationToken, Is.EqualTo(cts.Token));
            Assert.That(after!.Reason, Is.EqualTo(ConfUpdateConnectionReason.Closed));
            Assert.That(after.Message, Does.Contain("cancelled"));
        });
    }

    [Test]
    public async Task AnAlreadyCancelledToken_SendsNothing_AndKeepsTheClientUsable()
    {
        StartPeer(async (peer, ct) =>
        {
            Request request = await peer.ReceiveRequestAsync(ct);
            await peer.SendAsync(PeerConnection.Ok(request, new HelloInfo(1, 65536, "p", "1").Encode()), ct);
        });
        await using ConfUpdateClient client = await ConnectAsync();
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        var ex = await Assert.CatchAsync<OperationCanceledException>(() => client.GetVersionAsync("site", cancelled.Token));
        HelloInfo hello = await client.HelloAsync(TestToken);

        Assert.Multiple(() =>
        {
            Assert.That(ex!.CancellationToken, Is.EqualTo(cancelled.Token));
            Assert.That(hello.ServerName, Is.EqualTo("p"));
        });
    }

    [Test]
    public async Task NoReplyWithinTheTimeout_IsAProtocolErrorMarkedAsTimeout()
    {
        StartPeer(Silent);
        await using ConfUpdateClient client = await ConnectAsync(Options(SocketPath).WithRequestTimeout(TimeSpan.FromMilliseconds(300)));

        var ex = await Assert.ThrowsAsync<ConfUpdateProtocolException>(() => client.HelloAsync(TestToken));

        Assert.Multiple(() =>
        {
            Assert.That(ex!.IsTimeout, Is.True);
            Assert.That(ex.Message, Does.Contain("No reply to HELLO request 1").And.Contain("0.3 s"));
        });
    }

    [Test]
    public async Task Connect_WithACancelledToken_ThrowsWithThatToken()
    {
        StartPeer(Silent);
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        var ex = await Assert.CatchAsync<OperationCanceledException>(() => ConfUpdateClient.ConnectAsync(SocketPath, cancelled.Token));

        Assert.That(ex!.CancellationToken, Is.EqualTo(cancelled.Token));
    }

    [Test]
    public async Task Dispose_DuringARequest_FailsItWithObjectDisposed()
    {
        var received = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        StartPeer(async (peer, ct) =>
        {
            await peer.ReceiveRawAsync(ct);
            received.SetResult();
            await Task.Delay(Timeout.Infinite, ct);
        });
        ConfUpdateClient client = await ConnectAsync();
        Task<HelloInfo> pending = client.HelloAsync(TestToken);
        await received.Task.WaitAsync(TestToken);

        await client.DisposeAsync();

        await Assert.CatchAsync<ObjectDisposedException>(() => pending);
        await Assert.CatchAsync<ObjectDisposedException>(() => client.HelloAsync(TestToken));
    }
}
