using System.Text;
using ConfUpdate.Protocol;

namespace ConfUpdate.Client.Tests;

[CancelAfter(15_000)]
public sealed class ClientRoundTripTests : PeerTestBase
{
    [Test]
    public async Task Hello_ReturnsTheServersAnnouncement()
    {
        var announced = new HelloInfo(1, 65536, "scripted-peer", "0.1");
        StartPeer(async (peer, ct) =>
        {
            Request request = await peer.ReceiveRequestAsync(ct);
            await peer.SendAsync(PeerConnection.Ok(request, announced.Encode()), ct);
        });
        await using ConfUpdateClient client = await ConnectAsync();

        HelloInfo hello = await client.HelloAsync(TestToken);

        Assert.That(hello, Is.EqualTo(announced));
    }

    [Test]
    public async Task Replace_SendsNameContentAndExpectedVersion_AndReturnsTheNewVersion()
    {
        byte[] content = [.. "a=1\n\0binary"u8];
        ContentVersion expected = ContentVersion.Of("old"u8);
        var received = new TaskCompletionSource<ReplaceRequest>(TaskCreationOptions.RunContinuationsAsynchronously);
        StartPeer(async (peer, ct) =>
        {
            var request = (ReplaceRequest)await peer.ReceiveRequestAsync(ct);
            received.SetResult(request);
            await peer.SendAsync(PeerConnection.Ok(request, ContentVersion.Of(request.Content.Span).Bytes.ToArray()), ct);
        });
        await using ConfUpdateClient client = await ConnectAsync();

        ContentVersion version = await client.ReplaceAsync("site", content, expected, TestToken);

        ReplaceRequest request = await received.Task.WaitAsync(TestToken);
        Assert.Multiple(() =>
        {
            Assert.That(version, Is.EqualTo(ContentVersion.Of(content)));
            Assert.That(request.Target, Is.EqualTo("site"));
            Assert.That(request.Content.ToArray(), Is.EqualTo(content));
            Assert.That(request.ExpectedVersion, Is.EqualTo(expected));
        });
    }

    [Test]
    public async Task Replace_WithoutExpectedVersion_SendsNone()
    {
        var received = new TaskCompletionSource<ReplaceRequest>(TaskCreationOptions.RunContinuationsAsynchronously);
        StartPeer(async (peer, ct) =>
        {
            var request = (ReplaceRequest)await peer.ReceiveRequestAsync(ct);
            received.SetResult(request);
            await peer.SendAsync(PeerConnection.Ok(request, ContentVersion.Of([]).Bytes.ToArray()), ct);
        });
        await using ConfUpdateClient client = await ConnectAsync();

        await client.ReplaceAsync("site", ReadOnlyMemory<byte>.Empty, cancellationToken: TestToken);

        ReplaceRequest request = await received.Task.WaitAsync(TestToken);
        Assert.Multiple(() =>
        {
            Assert.That(request.ExpectedVersion, Is.Null);
            Assert.That(request.Content.Length, Is.Zero);
        });
    }

    [Test]
    public async Task GetVersion_ReturnsExistenceSizeAndVersion()
    {
        var state = new TargetVersion(true, 42, ContentVersion.Of("x"u8));
        StartPeer(async (peer, ct) =>
        {
            var request = (GetVersionRequest)await peer.ReceiveRequestAsync(ct);
            Assert.That(request.Target, Is.EqualTo("site"));
            await peer.SendAsync(PeerConnection.Ok(request, state.Encode()), ct);
        });
        await using ConfUpdateClient client = await ConnectAsync();

        TargetVersion version = await client.GetVersionAsync("site", TestToken);

        Assert.That(version, Is.EqualTo(state));
    }

    [Test]
    public async Task Requests_OnOneConnection_CarryIncreasingIds()
    {
        var ids = new List<uint>();
        StartPeer(async (peer, ct) =>
        {
            for (int i = 0; i < 3; i++)
            {
                Request request = await peer.ReceiveRequestAsync(ct);
                ids.Add(request.RequestId);
                await peer.SendAsync(PeerConnection.Ok(request, TargetVersion.Absent.Encode()), ct);
            }
        });
        await using ConfUpdateClient client = await ConnectAsync();

        for (int i = 0; i < 3; i++)
        {
            await client.GetVersionAsync("site", TestToken);
        }

        Assert.That(ids, Is.Ordered.Ascending.And.Unique.And.Not.Contains(0u));
    }

    [Test]
    public async Task Concurrent_Calls_AreSerialisedAndEachGetsItsOwnReply()
    {
        // The peer answers each request with a version whose size is the request id, so a client that
        // mixed up replies would return the wrong size to some caller.
        StartPeer(async (peer, ct) =>
        {
            while (true)
            {
                Request request = await peer.ReceiveRequestAsync(ct);
                var state = new TargetVersion(true, request.RequestId, ContentVersion.Of([]));
                await peer.SendAsync(PeerConnection.Ok(request, state.Encode()), ct);
            }
        });
        await using ConfUpdateClient client = await ConnectAsync();

        TargetVersion[] versions = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => client.GetVersionAsync("site", TestToken)));

        Assert.That(versions.Select(v => v.Size), Is.Unique);
    }

    [Test]
    public async Task StatusReply_ThrowsStatusException_AndLeavesTheConnectionUsable()
    {
        StartPeer(async (peer, ct) =>
        {
            Request first = await peer.ReceiveRequestAsync(ct);
            await peer.SendAsync(PeerConnection.Refuse(first, Status.UnknownTarget, "no target named 'nope'"), ct);
            Request second = await peer.ReceiveRequestAsync(ct);
            await peer.SendAsync(PeerConnection.Ok(second, TargetVersion.Absent.Encode()), ct);
        });
        await using ConfUpdateClient client = await ConnectAsync();

        var ex = await Assert.ThrowsAsync<ConfUpdateStatusException>(() => client.GetVersionAsync("nope", TestToken));
        TargetVersion after = await client.GetVersionAsync("site", TestToken);

        Assert.Multiple(() =>
        {
            Assert.That(ex!.Status, Is.EqualTo(Status.UnknownTarget));
            Assert.That(ex.Detail, Is.EqualTo("no target named 'nope'"));
            Assert.That(ex.Opcode, Is.EqualTo(Opcode.GetVersion));
            Assert.That(ex.IsUnsolicited, Is.False);
            Assert.That(ex.Message, Does.Contain("UNKNOWN_TARGET").And.Contain("no target named 'nope'"));
            Assert.That(after, Is.EqualTo(TargetVersion.Absent));
        });
    }

    [Test]
    public async Task InvalidTargetName_ThrowsArgumentException_WithoutSendingOrClosing()
    {
        StartPeer(async (peer, ct) =>
        {
            Request request = await peer.ReceiveRequestAsync(ct);
            await peer.SendAsync(PeerConnection.Ok(request, TargetVersion.Absent.Encode()), ct);
        });
        await using ConfUpdateClient client = await ConnectAsync();

        await Assert.ThrowsAsync<ArgumentException>(() => client.GetVersionAsync("", TestToken));
        await Assert.ThrowsAsync<ArgumentException>(() => client.GetVersionAsync(new string('x', 256), TestToken));
        TargetVersion after = await client.GetVersionAsync("site", TestToken);

        Assert.That(after, Is.EqualTo(TargetVersion.Absent));
    }

    [Test]
    public async Task Replace_LargerThanTheSendBuffer_ThrowsMessageTooLarge_AndLeavesTheConnectionUsable()
    {
        StartPeer(async (peer, ct) =>
        {
            Request request = await peer.ReceiveRequestAsync(ct);
            await peer.SendAsync(PeerConnection.Ok(request, new HelloInfo(1, 65536, "p", "1").Encode()), ct);
        });
        await using ConfUpdateClient client = await ConnectAsync();
        byte[] huge = Encoding.ASCII.GetBytes(new string('x', 4 << 20));

        var ex = await Assert.ThrowsAsync<ConfUpdateConnectionException>(() => client.ReplaceAsync("site", huge, cancellationToken: TestToken));
        HelloInfo hello = await client.HelloAsync(TestToken);

        Assert.Multiple(() =>
        {
            Assert.That(ex!.Reason, Is.EqualTo(ConfUpdateConnectionReason.MessageTooLarge));
            Assert.That(ex.Message, Does.Contain("EMSGSIZE"));
            Assert.That(hello.ServerName, Is.EqualTo("p"));
        });
    }
}
