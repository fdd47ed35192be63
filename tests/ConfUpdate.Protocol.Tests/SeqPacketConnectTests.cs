using System.Net.Sockets;
using ConfUpdate.Protocol.Tests.Support;

namespace ConfUpdate.Protocol.Tests;

/// <summary>
/// <see cref="SeqPacket.Create"/> and <see cref="SeqPacket.ConnectAsync"/> against real listeners: only a
/// SOCK_SEQPACKET listener accepts (SPEC TRANS-1).
/// </summary>
public class SeqPacketConnectTests
{
    private const int TimeoutMs = 5_000;

    private TempDirectory _directory = null!;

    private static CancellationToken Token => TestContext.CurrentContext.CancellationToken;

    [SetUp]
    public void CreateDirectory() => _directory = TempDirectory.Create();

    [TearDown]
    public void DeleteDirectory() => _directory.Dispose();

    [Test]
    [CancelAfter(TimeoutMs)]
    public void Create_MakesAnAfUnixSeqPacketSocket()
    {
        using Socket socket = SeqPacket.Create();

        Assert.Multiple(() =>
        {
            Assert.That(socket.AddressFamily, Is.EqualTo(AddressFamily.Unix));
            Assert.That(socket.SocketType, Is.EqualTo(SocketType.Seqpacket));
            Assert.That(socket.Connected, Is.False);
        });
    }

    [Test]
    [CancelAfter(TimeoutMs)]
    public async Task ConnectAsync_ToSeqPacketListener_Connects()
    {
        string path = _directory.Combine("seq.sock");
        using Socket listener = SeqPacketPair.Listen(path);

        using Socket client = await SeqPacket.ConnectAsync(path, Token);
        using Socket server = await listener.AcceptAsync(Token);

        Assert.Multiple(() =>
        {
            Assert.That(client.Connected, Is.True);
            Assert.That(client.SocketType, Is.EqualTo(SocketType.Seqpacket));
        });
    }

    [Test]
    [CancelAfter(TimeoutMs)]
    public async Task ConnectAsync_NothingAtThePath_ThrowsSocketException()
    {
        string path = _directory.Combine("missing.sock");

        await Assert.CatchAsync<SocketException>(async () => await SeqPacket.ConnectAsync(path, Token));
    }

    [TestCase(SocketType.Stream)]
    [TestCase(SocketType.Dgram)]
    [CancelAfter(TimeoutMs)]
    public async Task ConnectAsync_ToListenerOfAnotherSocketType_IsRefusedByTheKernel(SocketType type)
    {
        string path = _directory.Combine("other.sock");
        using var other = new Socket(AddressFamily.Unix, type, ProtocolType.Unspecified);
        other.Bind(new UnixDomainSocketEndPoint(path));
        if (type == SocketType.Stream)
        {
            other.Listen(1);
        }

        SocketException? ex = await Assert.CatchAsync<SocketException>(async () => await SeqPacket.ConnectAsync(path, Token));

        Assert.That(ex!.SocketErrorCode, Is.EqualTo(SocketError.ProtocolType).Or.EqualTo(SocketError.ConnectionRefused));
    }
}
