using System.Net.Sockets;
using System.Runtime.Versioning;
using ConfUpdate.Protocol.Tests.Support;

namespace ConfUpdate.Protocol.Tests;

/// <summary>
/// SO_PEERCRED and SO_PEERGROUPS on real AF_UNIX SOCK_SEQPACKET connections, from this process and from
/// processes running as the kit's test accounts (SPEC AUTH-1..AUTH-3).
/// </summary>
[SupportedOSPlatform("linux")]
public class PeerCredentialsKernelTests
{
    private const int TimeoutMs = 10_000;

    private TempDirectory _directory = null!;

    private static CancellationToken Token => TestContext.CurrentContext.CancellationToken;

    private string SocketPath => _directory.Combine("peer.sock");

    [SetUp]
    public void CreateDirectory() => _directory = TempDirectory.Create();

    [TearDown]
    public void DeleteDirectory() => _directory.Dispose();

    [Test]
    [CancelAfter(TimeoutMs)]
    public async Task Read_OnAcceptedConnection_ReturnsThisProcessPidUidGid()
    {
        using SeqPacketPair pair = await SeqPacketPair.OpenAsync(SocketPath, Token);

        PeerCredentials credentials = PeerCredentials.Read(pair.Server);

        Assert.That(credentials, Is.EqualTo(new PeerCredentials(Environment.ProcessId, ProcStatus.EffectiveUid(), ProcStatus.EffectiveGid())));
    }

    [Test]
    [CancelAfter(TimeoutMs)]
    public async Task Read_OnClientEnd_ReturnsTheListenersIdentity()
    {
        // The kernel records the listener's credentials at listen() and hands them to connecting clients.
        using SeqPacketPair pair = await SeqPacketPair.OpenAsync(SocketPath, Token);

        PeerCredentials credentials = PeerCredentials.Read(pair.Client);

        Assert.That(credentials, Is.EqualTo(new PeerCredentials(Environment.ProcessId, ProcStatus.EffectiveUid(), ProcStatus.EffectiveGid())));
    }

    [Test]
    [CancelAfter(TimeoutMs)]
    public async Task ReadSupplementaryGroups_OnAcceptedConnection_ReturnsThisProcessGroups()
    {
        using SeqPacketPair pair = await SeqPacketPair.OpenAsync(SocketPath, Token);

        IReadOnlyList<uint>? groups = PeerCredentials.ReadSupplementaryGroups(pair.Server);

        Assert.That(groups, Is.Not.Null);
        Assert.That(groups, Is.EquivalentTo(ProcStatus.SupplementaryGroups()));
    }

    [Test]
    [CancelAfter(TimeoutMs)]
    public void ReadSupplementaryGroups_OnUnconnectedSocket_ReturnsNull()
    {
        // No peer, no groups: the kernel answers ENODATA and the caller must grant nothing (SPEC AUTH-3).
        using Socket socket = SeqPacket.Create();

        Assert.That(PeerCredentials.ReadSupplementaryGroups(socket), Is.Null);
    }

    [Test]
    [CancelAfter(TimeoutMs)]
    public async Task Read_PeerRunningAsWwwData_ReturnsItsPidUidAndGid()
    {
        (uint uid, uint gid) = Accounts.User("www-data");
        using Socket listener = ListenOpenToEveryone();
        using PeerProcess peer = PeerProcess.StartAs(uid, gid, SocketPath);
        using Socket server = await peer.AcceptFromAsync(listener, Token);

        PeerCredentials credentials = PeerCredentials.Read(server);
        IReadOnlyList<uint>? groups = PeerCredentials.ReadSupplementaryGroups(server);

        server.Shutdown(SocketShutdown.Both);
        await AssertPeerExitedCleanlyAsync(peer);
        Assert.Multiple(() =>
        {
            Assert.That(credentials, Is.EqualTo(new PeerCredentials(peer.Pid, uid, gid)));
            Assert.That(groups, Is.EquivalentTo(new[] { gid }));
        });
    }

    [Test]
    [CancelAfter(TimeoutMs)]
    public async Task ReadSupplementaryGroups_PeerInWritersGroupOnlyBySupplementaryMembership_ListsThatGroup()
    {
        // confkit-member's primary group is its own; confkit-writers reaches the server only through
        // SO_PEERGROUPS, which is what lets a group-based allow rule admit it (SPEC AUTH-3).
        (uint uid, uint gid) = Accounts.User("confkit-member");
        uint writers = Accounts.Group("confkit-writers");
        using Socket listener = ListenOpenToEveryone();
        using PeerProcess peer = PeerProcess.StartAs(uid, gid, SocketPath);
        using Socket server = await peer.AcceptFromAsync(listener, Token);

        PeerCredentials credentials = PeerCredentials.Read(server);
        IReadOnlyList<uint>? groups = PeerCredentials.ReadSupplementaryGroups(server);

        server.Shutdown(SocketShutdown.Both);
        await AssertPeerExitedCleanlyAsync(peer);
        Assert.Multiple(() =>
        {
            Assert.That(credentials, Is.EqualTo(new PeerCredentials(peer.Pid, uid, gid)));
            Assert.That(credentials.Gid, Is.Not.EqualTo(writers));
            Assert.That(groups, Does.Contain(writers));
            Assert.That(groups, Is.EquivalentTo(new[] { gid, writers }));
        });
    }

    [Test]
    [CancelAfter(TimeoutMs)]
    public async Task Read_PeerRunningAsNobody_ReturnsTheOverflowUid()
    {
        (uint uid, uint gid) = Accounts.User("nobody");
        using Socket listener = ListenOpenToEveryone();
        using PeerProcess peer = PeerProcess.StartAs(uid, gid, SocketPath);
        using Socket server = await peer.AcceptFromAsync(listener, Token);

        PeerCredentials credentials = PeerCredentials.Read(server);

        server.Shutdown(SocketShutdown.Both);
        await AssertPeerExitedCleanlyAsync(peer);
        Assert.That(credentials, Is.EqualTo(new PeerCredentials(peer.Pid, 65534, gid)));
    }

    /// <summary>A listener other users can reach: the directory 0755 and the socket 0666.</summary>
    private Socket ListenOpenToEveryone()
    {
        File.SetUnixFileMode(_directory.Path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
            | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        Socket listener = SeqPacketPair.Listen(SocketPath);
        File.SetUnixFileMode(SocketPath, UnixFileMode.UserRead | UnixFileMode.UserWrite
            | UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.OtherRead | UnixFileMode.OtherWrite);
        return listener;
    }

    private static async Task AssertPeerExitedCleanlyAsync(PeerProcess peer)
    {
        (int exitCode, string stderr) = await peer.WaitForExitAsync(Token);
        Assert.That(exitCode, Is.Zero, stderr);
    }
}
