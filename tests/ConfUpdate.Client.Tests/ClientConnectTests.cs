using System.Net.Sockets;

namespace ConfUpdate.Client.Tests;

[CancelAfter(10_000)]
public sealed class ClientConnectTests : PeerTestBase
{
    [Test]
    public async Task Connect_ToAMissingSocket_ReportsSocketMissing()
    {
        var ex = await Assert.ThrowsAsync<ConfUpdateConnectionException>(() => ConfUpdateClient.ConnectAsync(SocketPath, TestToken));

        Assert.Multiple(() =>
        {
            Assert.That(ex!.Reason, Is.EqualTo(ConfUpdateConnectionReason.SocketMissing));
            Assert.That(ex.SocketPath, Is.EqualTo(SocketPath));
            Assert.That(ex.Message, Does.Contain(SocketPath).And.Contain("does not exist"));
            Assert.That(ex.InnerException, Is.InstanceOf<SocketException>());
        });
    }

    [Test]
    public async Task Connect_ToAStreamSocket_ReportsWrongSocketType()
    {
        using var stream = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        stream.Bind(new UnixDomainSocketEndPoint(SocketPath));
        stream.Listen();

        var ex = await Assert.ThrowsAsync<ConfUpdateConnectionException>(() => ConfUpdateClient.ConnectAsync(SocketPath, TestToken));

        Assert.Multiple(() =>
        {
            Assert.That(ex!.Reason, Is.EqualTo(ConfUpdateConnectionReason.WrongSocketType));
            Assert.That(ex.Message, Does.Contain("SOCK_SEQPACKET"));
        });
    }

    [Test]
    public async Task Connect_ToARegularFile_ReportsRefused()
    {
        File.WriteAllText(SocketPath, "not a socket");

        var ex = await Assert.ThrowsAsync<ConfUpdateConnectionException>(() => ConfUpdateClient.ConnectAsync(SocketPath, TestToken));

        Assert.That(ex!.Reason, Is.EqualTo(ConfUpdateConnectionReason.Refused));
    }

    [Test]
    public async Task Connect_WithAPathTooLongForSunPath_ThrowsArgumentException()
    {
        string path = Directory.File(new string('x', 120) + ".sock");

        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => ConfUpdateClient.ConnectAsync(path, TestToken));
    }

    [Test]
    public async Task Connect_ToAListeningPeer_Succeeds_AndKeepsTheOptions()
    {
        StartPeer((_, ct) => Task.Delay(Timeout.Infinite, ct));
        ConfUpdateClientOptions options = Options(SocketPath);

        await using ConfUpdateClient client = await ConnectAsync(options);

        Assert.That(client.Options, Is.EqualTo(options));
    }

    [Test]
    public async Task Connect_WhileTheBacklogIsFull_WaitsForTheServerToAccept()
    {
        using Socket listener = FullBacklogListener(out List<Socket> fillers);
        try
        {
            Task<ConfUpdateClient> connecting = ConfUpdateClient.ConnectAsync(Options(SocketPath), TestToken);
            await Task.Delay(100, TestToken);
            Assert.That(connecting.IsCompleted, Is.False, "connect should wait while the backlog is full");

            using Socket accepted = await listener.AcceptAsync(TestToken);
            await using ConfUpdateClient client = Track(await connecting.WaitAsync(TestToken));

            Assert.That(client.Options.SocketPath, Is.EqualTo(SocketPath));
        }
        finally
        {
            fillers.ForEach(f => f.Dispose());
        }
    }

    [Test]
    public async Task Connect_WhileTheBacklogStaysFull_TimesOut()
    {
        using Socket listener = FullBacklogListener(out List<Socket> fillers);
        try
        {
            var ex = await Assert.ThrowsAsync<ConfUpdateProtocolException>(() =>
                ConfUpdateClient.ConnectAsync(Options(SocketPath).WithRequestTimeout(TimeSpan.FromMilliseconds(300)), TestToken));

            Assert.Multiple(() =>
            {
                Assert.That(ex!.IsTimeout, Is.True);
                Assert.That(ex.Message, Does.Contain("backlog"));
            });
        }
        finally
        {
            fillers.ForEach(f => f.Dispose());
        }
    }

    /// <summary>A SOCK_SEQPACKET listener with backlog 1 that never accepts, filled until connect() gets EAGAIN.</summary>
    private Socket FullBacklogListener(out List<Socket> fillers)
    {
        Socket listener = new(AddressFamily.Unix, SocketType.Seqpacket, ProtocolType.Unspecified);
        listener.Bind(new UnixDomainSocketEndPoint(SocketPath));
        listener.Listen(1);
        fillers = [];
        while (true)
        {
            var filler = new Socket(AddressFamily.Unix, SocketType.Seqpacket, ProtocolType.Unspecified) { Blocking = false };
            fillers.Add(filler);
            try
            {
                filler.Connect(new UnixDomainSocketEndPoint(SocketPath));
            }
            catch (SocketException ex) when (ex.SocketErrorCode == SocketError.WouldBlock)
            {
                return listener;
            }
        }
    }

    [Test]
    public void Options_AreImmutableCopies_AndRejectNonsense()
    {
        var defaults = new ConfUpdateClientOptions();
        ConfUpdateClientOptions changed = defaults.WithSocketPath("/x.sock").WithRequestTimeout(TimeSpan.FromSeconds(2));

        Assert.Multiple(() =>
        {
            Assert.That(defaults.SocketPath, Is.EqualTo(ConfUpdateClientOptions.DefaultSocketPath));
            Assert.That(defaults.RequestTimeout, Is.EqualTo(TimeSpan.FromSeconds(30)));
            Assert.That(changed.SocketPath, Is.EqualTo("/x.sock"));
            Assert.That(changed.RequestTimeout, Is.EqualTo(TimeSpan.FromSeconds(2)));
            Assert.That(() => defaults.WithRequestTimeout(TimeSpan.Zero), Throws.InstanceOf<ArgumentOutOfRangeException>());
            Assert.That(() => defaults.WithSocketPath(""), Throws.ArgumentException);
            Assert.That(defaults.WithRequestTimeout(Timeout.InfiniteTimeSpan).RequestTimeout, Is.EqualTo(Timeout.InfiniteTimeSpan));
        });
    }
}
