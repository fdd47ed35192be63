using ConfUpdate.Protocol;

namespace ConfUpdate.Client.Tests;

/// <summary>
/// What the client can tell when a connection ends: whether a lost request may have been carried out
/// (<see cref="ConfUpdateConnectionException.RequestMayHaveBeenApplied"/>), and whether an idle connection
/// is still open (<see cref="ConfUpdateClient.IsOpen"/>). The reconnecting client builds on both.
/// </summary>
[CancelAfter(20_000)]
public sealed class ClientLostConnectionTests : PeerTestBase
{
    [Test]
    public async Task ServerClosingAfterReadingTheRequest_MayHaveAppliedIt()
    {
        StartPeer(async (peer, ct) =>
        {
            await peer.ReceiveRequestAsync(ct);
            peer.Dispose();
        });
        await using ConfUpdateClient client = await ConnectAsync();

        var ex = await Assert.ThrowsAsync<ConfUpdateConnectionException>(() => client.ReplaceAsync("site", new byte[] { 1 }, cancellationToken: TestToken));

        Assert.Multiple(() =>
        {
            Assert.That(ex!.Reason, Is.EqualTo(ConfUpdateConnectionReason.Closed));
            Assert.That(ex.RequestMayHaveBeenApplied, Is.True);
            Assert.That(client.IsOpen, Is.False);
        });
    }

    [Test]
    public async Task ServerClosingWithTheRequestUnread_DidNotApplyIt()
    {
        // The kernel resets the connection (ECONNRESET) when a SOCK_SEQPACKET socket is closed with
        // datagrams still queued: the request never reached the server's code.
        StartPeer(async (peer, ct) =>
        {
            await peer.WaitUntilReadableAsync(ct);
            peer.Dispose();
        });
        await using ConfUpdateClient client = await ConnectAsync();

        var ex = await Assert.ThrowsAsync<ConfUpdateConnectionException>(() => client.ReplaceAsync("site", new byte[] { 1 }, cancellationToken: TestToken));

        Assert.Multiple(() =>
        {
            Assert.That(ex!.Reason, Is.EqualTo(ConfUpdateConnectionReason.Closed));
            Assert.That(ex.RequestMayHaveBeenApplied, Is.False, ex.Message);
            Assert.That(ex.Message, Does.Contain("unread"));
        });
    }

    [Test]
    public async Task IdleConnectionClosedByTheServer_IsNotOpen_AndASendIsNotApplied()
    {
        var closed = new TaskCompletionSource();
        StartPeer((peer, ct) =>
        {
            peer.Dispose();
            closed.SetResult();
            return Task.CompletedTask;
        });
        await using ConfUpdateClient client = await ConnectAsync();
        await closed.Task.WaitAsync(TestToken);

        bool openAfterClose = client.IsOpen;
        var ex = await Assert.ThrowsAsync<ConfUpdateConnectionException>(() => client.HelloAsync(TestToken));

        Assert.Multiple(() =>
        {
            Assert.That(openAfterClose, Is.False);
            Assert.That(ex!.RequestMayHaveBeenApplied, Is.False);
        });
    }

    [Test]
    public async Task OpenIdleConnection_IsOpen()
    {
        StartPeer(async (peer, ct) =>
        {
            Request request = await peer.ReceiveRequestAsync(ct);
            await peer.SendAsync(PeerConnection.Ok(request, TargetVersion.Absent.Encode()), ct);
            await peer.ReceiveRawAsync(ct);
        });
        await using ConfUpdateClient client = await ConnectAsync();

        await client.GetVersionAsync("site", TestToken);

        Assert.That(client.IsOpen, Is.True);
    }

    [Test]
    public async Task UnsolicitedRefusalWhileIdle_MeansNotOpen()
    {
        // SHUTTING_DOWN to an idle client (SPEC LIFE-1); the server keeps its end open a while.
        var sent = new TaskCompletionSource();
        StartPeer(async (peer, ct) =>
        {
            await peer.SendAsync(PeerConnection.Unsolicited(Status.ShuttingDown), ct);
            sent.SetResult();
            await Task.Delay(Timeout.Infinite, ct);
        });
        await using ConfUpdateClient client = await ConnectAsync();
        await sent.Task.WaitAsync(TestToken);
        await Task.Delay(50, TestToken);

        Assert.That(client.IsOpen, Is.False);
    }
}
