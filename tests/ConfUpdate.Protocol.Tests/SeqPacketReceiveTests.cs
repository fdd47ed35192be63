using System.Net.Sockets;
using ConfUpdate.Protocol.Tests.Support;

namespace ConfUpdate.Protocol.Tests;

/// <summary>
/// <see cref="SeqPacket.ReceiveAsync"/> over a real SOCK_SEQPACKET pair: real lengths under MSG_TRUNC,
/// end of stream, and message boundaries (SPEC FRAME-1, FRAME-4, FRAME-5, FRAME-9).
/// </summary>
public class SeqPacketReceiveTests
{
    private const int TimeoutMs = 5_000;

    private TempDirectory _directory = null!;
    private SeqPacketPair? _pair;

    private static CancellationToken Token => TestContext.CurrentContext.CancellationToken;

    private SeqPacketPair Pair => _pair!;

    [SetUp]
    public async Task OpenPair()
    {
        _directory = TempDirectory.Create();
        using var timeout = new CancellationTokenSource(TimeoutMs);
        _pair = await SeqPacketPair.OpenAsync(_directory.Combine("receive.sock"), timeout.Token);
    }

    [TearDown]
    public void ClosePair()
    {
        _pair?.Dispose();
        _directory.Dispose();
    }

    [TestCase(11, 10)]
    [TestCase(100, 10)]
    [TestCase(2049, 2048)]
    [TestCase(ProtocolLimits.DefaultMaxRequestSize + 1, ProtocolLimits.DefaultMaxRequestSize)]
    [TestCase(100_000, 1)]
    [CancelAfter(TimeoutMs)]
    public async Task ReceiveAsync_DatagramLargerThanBuffer_ReportsItsRealLengthAsTruncated(int size, int bufferSize)
    {
        byte[] sent = Bytes.Pattern(size, 7);
        byte[] buffer = new byte[bufferSize];
        await Pair.Client.SendAsync(sent, SocketFlags.None, Token);

        ReceivedDatagram received = await SeqPacket.ReceiveAsync(Pair.Server, buffer, Token);

        Assert.Multiple(() =>
        {
            Assert.That(received.Length, Is.EqualTo(size));
            Assert.That(received.BufferSize, Is.EqualTo(bufferSize));
            Assert.That(received.IsTruncated, Is.True);
            Assert.That(received.IsEndOfStream, Is.False);
            Assert.That(received.BytesInBuffer, Is.EqualTo(bufferSize));
            Bytes.AssertEqual(buffer, sent.AsSpan(0, bufferSize), "the buffer holds the datagram's first bytes");
        });
    }

    [TestCase(1)]
    [TestCase(8)]
    [TestCase(2048)]
    [TestCase(ProtocolLimits.DefaultMaxRequestSize)]
    [CancelAfter(TimeoutMs)]
    public async Task ReceiveAsync_DatagramThatExactlyFits_IsNotTruncated(int size)
    {
        byte[] sent = Bytes.Pattern(size, 3);
        byte[] buffer = new byte[size];
        await Pair.Client.SendAsync(sent, SocketFlags.None, Token);

        ReceivedDatagram received = await SeqPacket.ReceiveAsync(Pair.Server, buffer, Token);

        Assert.Multiple(() =>
        {
            Assert.That(received.Length, Is.EqualTo(size));
            Assert.That(received.IsTruncated, Is.False);
            Assert.That(received.IsEndOfStream, Is.False);
            Assert.That(received.BytesInBuffer, Is.EqualTo(size));
            Bytes.AssertEqual(buffer, sent);
        });
    }

    [Test]
    [CancelAfter(TimeoutMs)]
    public async Task ReceiveAsync_AlreadyWaitingWhenAnOversizedDatagramArrives_ReportsItsRealLength()
    {
        // The receive is pending before the datagram exists, so it completes through the runtime's
        // asynchronous (epoll) path rather than the immediate one the other tests take.
        byte[] buffer = new byte[ProtocolLimits.MaxReplySize + 1];
        Task<ReceivedDatagram> receiving = SeqPacket.ReceiveAsync(Pair.Server, buffer, Token);
        await Task.Delay(20, Token);
        byte[] sent = Bytes.Pattern(10_000, 5);
        await Pair.Client.SendAsync(sent, SocketFlags.None, Token);

        ReceivedDatagram received = await receiving;

        Assert.Multiple(() =>
        {
            Assert.That(received.Length, Is.EqualTo(10_000));
            Assert.That(received.IsTruncated, Is.True);
            Bytes.AssertEqual(buffer, sent.AsSpan(0, buffer.Length));
        });
    }

    [Test]
    [CancelAfter(TimeoutMs)]
    public async Task ReceiveAsync_AfterATruncatedDatagram_TheNextOneArrivesWhole()
    {
        // The truncated tail is discarded by the kernel; it must not leak into the next receive.
        byte[] large = Bytes.Pattern(5000, 1);
        byte[] next = Bytes.Pattern(20, 2);
        await Pair.Client.SendAsync(large, SocketFlags.None, Token);
        await Pair.Client.SendAsync(next, SocketFlags.None, Token);
        byte[] buffer = new byte[100];

        ReceivedDatagram first = await SeqPacket.ReceiveAsync(Pair.Server, buffer, Token);
        ReceivedDatagram second = await SeqPacket.ReceiveAsync(Pair.Server, buffer, Token);

        Assert.Multiple(() =>
        {
            Assert.That(first.IsTruncated, Is.True);
            Assert.That(first.Length, Is.EqualTo(5000));
            Assert.That(second.IsTruncated, Is.False);
            Assert.That(second.Length, Is.EqualTo(20));
            Bytes.AssertEqual(buffer.AsSpan(0, 20), next);
        });
    }

    [Test]
    [CancelAfter(TimeoutMs)]
    public async Task ReceiveAsync_ZeroLengthDatagram_IsEndOfStream()
    {
        await Pair.Client.SendAsync(ReadOnlyMemory<byte>.Empty, SocketFlags.None, Token);

        ReceivedDatagram received = await SeqPacket.ReceiveAsync(Pair.Server, new byte[16], Token);

        Assert.Multiple(() =>
        {
            Assert.That(received.Length, Is.Zero);
            Assert.That(received.IsEndOfStream, Is.True);
            Assert.That(received.IsTruncated, Is.False);
            Assert.That(received.BytesInBuffer, Is.Zero);
        });
    }

    [Test]
    [CancelAfter(TimeoutMs)]
    public async Task ReceiveAsync_PeerShutsDownSending_IsEndOfStream()
    {
        Pair.Client.Shutdown(SocketShutdown.Send);

        ReceivedDatagram received = await SeqPacket.ReceiveAsync(Pair.Server, new byte[16], Token);

        Assert.That(received.IsEndOfStream, Is.True);
    }

    [Test]
    [CancelAfter(TimeoutMs)]
    public async Task ReceiveAsync_PeerClosed_IsEndOfStreamAfterPendingDatagrams()
    {
        await Pair.Client.SendAsync(new byte[] { 1, 2, 3 }, SocketFlags.None, Token);
        Pair.Client.Close();
        byte[] buffer = new byte[16];

        ReceivedDatagram pending = await SeqPacket.ReceiveAsync(Pair.Server, buffer, Token);
        ReceivedDatagram end = await SeqPacket.ReceiveAsync(Pair.Server, buffer, Token);

        Assert.Multiple(() =>
        {
            Assert.That(pending.Length, Is.EqualTo(3));
            Assert.That(end.IsEndOfStream, Is.True);
        });
    }

    [Test]
    [CancelAfter(TimeoutMs)]
    public async Task ReceiveAsync_BurstOfDifferentSizes_KeepsEveryBoundaryAndTheOrder()
    {
        int[] sizes = [1, 2, 7, 8, 9, 255, 256, 1024, 2048, 2049, 4096, 65536, 3, 1, 40_000, 12];
        byte[][] datagrams = sizes.Select((size, i) => Bytes.Pattern(size, i)).ToArray();
        Task sending = Task.Run(async () =>
        {
            foreach (byte[] datagram in datagrams)
            {
                await Pair.Client.SendAsync(datagram, SocketFlags.None, Token);
            }
        }, Token);
        byte[] buffer = new byte[ProtocolLimits.DefaultMaxRequestSize + 1];

        var received = new List<(int Length, bool Truncated, byte[] Data)>();
        for (int i = 0; i < sizes.Length; i++)
        {
            ReceivedDatagram datagram = await SeqPacket.ReceiveAsync(Pair.Server, buffer, Token);
            received.Add((datagram.Length, datagram.IsTruncated, buffer[..datagram.BytesInBuffer]));
        }

        await sending;
        Assert.Multiple(() =>
        {
            Assert.That(received.Select(r => r.Length), Is.EqualTo(sizes));
            Assert.That(received.Select(r => r.Truncated), Is.All.False);
            for (int i = 0; i < sizes.Length; i++)
            {
                Bytes.AssertEqual(received[i].Data, datagrams[i], $"datagram {i} ({sizes[i]} bytes)");
            }
        });
    }

    [Test]
    [CancelAfter(TimeoutMs)]
    public async Task ReceiveAsync_CancelledWhileWaiting_ThrowsOperationCanceledWithTheCallersToken()
    {
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(Token);
        cancel.CancelAfter(50);

        OperationCanceledException? ex = await Assert.CatchAsync<OperationCanceledException>(
            async () => await SeqPacket.ReceiveAsync(Pair.Server, new byte[16], cancel.Token));

        Assert.That(ex!.CancellationToken, Is.EqualTo(cancel.Token));
    }

    [Test]
    [CancelAfter(TimeoutMs)]
    public async Task ReceiveAsync_NullSocket_ThrowsArgumentNull() =>
        await Assert.ThrowsAsync<ArgumentNullException>(async () => await SeqPacket.ReceiveAsync(null!, new byte[1]));
}
