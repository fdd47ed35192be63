using System.Buffers.Binary;
using ConfUpdate.Protocol;

namespace ConfUpdate.Client.Tests;

[CancelAfter(20_000)]
public sealed class ClientReplyVerificationTests : PeerTestBase
{
    [Test]
    public async Task ReplyWithAnotherRequestId_IsAProtocolError_AndClosesTheClient()
    {
        StartPeer(async (peer, ct) =>
        {
            Request request = await peer.ReceiveRequestAsync(ct);
            await peer.SendAsync(PeerConnection.Ok(request, TargetVersion.Absent.Encode()) with { RequestId = request.RequestId + 1 }, ct);
            await peer.ReceiveRawAsync(ct);
        });
        await using ConfUpdateClient client = await ConnectAsync();

        var ex = await Assert.ThrowsAsync<ConfUpdateProtocolException>(() => client.GetVersionAsync("site", TestToken));
        var after = await Assert.ThrowsAsync<ConfUpdateConnectionException>(() => client.GetVersionAsync("site", TestToken));

        Assert.Multiple(() =>
        {
            Assert.That(ex!.Message, Does.Contain("Expected the reply to GET_VERSION request 1").And.Contain("request 2"));
            Assert.That(ex.IsTimeout, Is.False);
            Assert.That(after!.Reason, Is.EqualTo(ConfUpdateConnectionReason.Closed));
        });
    }

    [Test]
    public async Task ReplyForAnotherOpcode_IsAProtocolError()
    {
        StartPeer(async (peer, ct) =>
        {
            Request request = await peer.ReceiveRequestAsync(ct);
            await peer.SendAsync(new Reply(Opcode.Replace, Status.Ok, request.RequestId, "", ContentVersion.Absent.Bytes.ToArray()), ct);
            await peer.ReceiveRawAsync(ct);
        });
        await using ConfUpdateClient client = await ConnectAsync();

        var ex = await Assert.ThrowsAsync<ConfUpdateProtocolException>(() => client.GetVersionAsync("site", TestToken));

        Assert.That(ex!.Message, Does.Contain("GET_VERSION").And.Contain("REPLACE"));
    }

    [TestCase(ProtocolLimits.MaxReplySize + 1, TestName = "Reply_OneByteOverTheMaximum_IsAProtocolError")]
    [TestCase(3000, TestName = "Reply_LongerThanTheReceiveBuffer_IsDetectedAsTruncated")]
    public async Task OversizedReply_IsAProtocolError(int size)
    {
        StartPeer(async (peer, ct) =>
        {
            Request request = await peer.ReceiveRequestAsync(ct);
            // A header that claims OK with a 1024-byte detail, padded with body bytes to the size.
            var datagram = new byte[size];
            datagram[0] = ProtocolLimits.Version;
            datagram[1] = (byte)(ReplyCodec.ReplyBit | (byte)request.Opcode);
            BinaryPrimitives.WriteUInt32BigEndian(datagram.AsSpan(4), request.RequestId);
            BinaryPrimitives.WriteUInt16BigEndian(datagram.AsSpan(8), ProtocolLimits.MaxDetailBytes);
            datagram.AsSpan(ProtocolLimits.ReplyHeaderSize, ProtocolLimits.MaxDetailBytes).Fill((byte)'d');
            await peer.SendRawAsync(datagram, ct);
            await peer.ReceiveRawAsync(ct);
        });
        await using ConfUpdateClient client = await ConnectAsync();

        var ex = await Assert.ThrowsAsync<ConfUpdateProtocolException>(() => client.HelloAsync(TestToken));

        Assert.That(ex!.Message, Does.Contain(size.ToString()).And.Contain("2048"));
    }

    [Test]
    public async Task ShortReplyHeader_IsAProtocolError()
    {
        StartPeer(async (peer, ct) =>
        {
            await peer.ReceiveRequestAsync(ct);
            await peer.SendRawAsync([1, 0x81, 0], ct);
            await peer.ReceiveRawAsync(ct);
        });
        await using ConfUpdateClient client = await ConnectAsync();

        var ex = await Assert.ThrowsAsync<ConfUpdateProtocolException>(() => client.HelloAsync(TestToken));

        Assert.That(ex!.Message, Does.Contain("Malformed reply to HELLO request 1"));
    }

    [Test]
    public async Task OkReplyWithAMalformedBody_IsAProtocolError()
    {
        StartPeer(async (peer, ct) =>
        {
            Request request = await peer.ReceiveRequestAsync(ct);
            await peer.SendAsync(PeerConnection.Ok(request, new byte[5]), ct);
            await peer.ReceiveRawAsync(ct);
        });
        await using ConfUpdateClient client = await ConnectAsync();

        var ex = await Assert.ThrowsAsync<ConfUpdateProtocolException>(() => client.ReplaceAsync("site", "x"u8.ToArray(), cancellationToken: TestToken));

        Assert.That(ex!.Message, Does.Contain("5 bytes").And.Contain("32"));
    }

    [Test]
    public async Task ServerClosingMidRequest_IsAConnectionClosedError()
    {
        StartPeer(async (peer, ct) => await peer.ReceiveRequestAsync(ct));
        await using ConfUpdateClient client = await ConnectAsync();

        var ex = await Assert.ThrowsAsync<ConfUpdateConnectionException>(() => client.ReplaceAsync("site", "x"u8.ToArray(), cancellationToken: TestToken));

        Assert.Multiple(() =>
        {
            Assert.That(ex!.Reason, Is.EqualTo(ConfUpdateConnectionReason.Closed));
            Assert.That(ex.Message, Does.Contain("REPLACE request 1"));
        });
    }

    [Test]
    public async Task ServerClosingWithoutReadingTheRequest_IsAConnectionClosedError()
    {
        // Closing with an unread request makes the kernel report ECONNRESET to the client.
        StartPeer(async (peer, ct) => await peer.WaitUntilReadableAsync(ct));
        await using ConfUpdateClient client = await ConnectAsync();

        var ex = await Assert.ThrowsAsync<ConfUpdateConnectionException>(() => client.HelloAsync(TestToken));

        Assert.That(ex!.Reason, Is.EqualTo(ConfUpdateConnectionReason.Closed));
    }

    [Test]
    public async Task UnsolicitedForbiddenAtAccept_IsAStatusException_WhateverTheTiming()
    {
        // The server sends FORBIDDEN and closes at accept (SPEC AUTH-6). Depending on timing the
        // client's send fails (EPIPE/ECONNRESET), or its receive reports ECONNRESET ahead of the
        // queued reply, or the reply simply arrives: every path must end in the FORBIDDEN status.
        var pause = 0;
        StartPeer(async (peer, ct) =>
        {
            int mode = Interlocked.Increment(ref pause) % 3;
            if (mode == 1)
            {
                await peer.WaitUntilReadableAsync(ct);
            }

            await peer.SendAsync(PeerConnection.Unsolicited(Status.Forbidden), ct);
            if (mode == 2)
            {
                await Task.Delay(20, ct);
            }
        });

        for (int i = 0; i < 30; i++)
        {
            await using ConfUpdateClient client = await ConnectAsync();

            var ex = await Assert.ThrowsAsync<ConfUpdateStatusException>(() => client.HelloAsync(TestToken));

            Assert.Multiple(() =>
            {
                Assert.That(ex!.Status, Is.EqualTo(Status.Forbidden), $"attempt {i}");
                Assert.That(ex.IsUnsolicited, Is.True);
                Assert.That(ex.Opcode, Is.EqualTo(Opcode.None));
                Assert.That(ex.Message, Does.Contain("unsolicited FORBIDDEN"));
            });
        }
    }

    [Test]
    public async Task UnsolicitedShuttingDown_InPlaceOfAReply_IsAStatusException_AndClosesTheClient()
    {
        StartPeer(async (peer, ct) =>
        {
            Request request = await peer.ReceiveRequestAsync(ct);
            await peer.SendAsync(PeerConnection.Ok(request, TargetVersion.Absent.Encode()), ct);
            await peer.ReceiveRequestAsync(ct);
            await peer.SendAsync(PeerConnection.Unsolicited(Status.ShuttingDown), ct);
        });
        await using ConfUpdateClient client = await ConnectAsync();
        await client.GetVersionAsync("site", TestToken);

        var ex = await Assert.ThrowsAsync<ConfUpdateStatusException>(() => client.GetVersionAsync("site", TestToken));
        var after = await Assert.ThrowsAsync<ConfUpdateConnectionException>(() => client.HelloAsync(TestToken));

        Assert.Multiple(() =>
        {
            Assert.That(ex!.Status, Is.EqualTo(Status.ShuttingDown));
            Assert.That(ex.IsUnsolicited, Is.True);
            Assert.That(after!.Reason, Is.EqualTo(ConfUpdateConnectionReason.Closed));
            Assert.That(after.Message, Does.Contain("SHUTTING_DOWN"));
        });
    }
}
