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
