using System.Net.Sockets;
using ConfUpdate.Native;
using ConfUpdate.Protocol;
using ConfUpdate.Server.Audit;
using ConfUpdate.Server.Configuration;
using ConfUpdate.Server.Native;

namespace ConfUpdate.Server.Connections;

/// <summary>
/// The credential check of a freshly accepted connection (SPEC AUTH-1..AUTH-7), made in the accept
/// loop itself. A denied peer costs one <c>getsockopt</c>, one audit line, one non-blocking send and the
/// close of CONN-5: no task, no connection object, no buffer. So a flood of denied connects cannot take
/// the thread pool away from allowed peers; it only competes with them for the accept queue.
/// </summary>
internal sealed class PeerAdmission(ServerConfig config, AuditLog audit)
{
    // Unsolicited replies carry nothing but the status (AUTH-6): the same bytes every time.
    private static readonly byte[] s_forbidden = ReplyCodec.Encode(Reply.Failure(Opcode.None, Status.Forbidden, 0, string.Empty));

    /// <summary>The peer when it is allowed; null when it was refused (FORBIDDEN sent, connection closed).</summary>
    public PeerCredentials? Admit(Socket socket)
    {
        ArgumentNullException.ThrowIfNull(socket);
        PeerCredentials peer;
        try
        {
            peer = PeerCredentials.Read(socket);
        }
        catch (PeerCredentialsException ex)
        {
            // AUTH-4: unknown identity is a denial.
            audit.Reject(null, AuditText.Quote(ex.Message));
            Refuse(socket);
            return null;
        }

        AccessPolicy access = config.Access;
        bool allowed = access.IsAllowed(peer.Uid, peer.Gid, null);
        if (!allowed && access.GroupsCanAdmit(peer.Uid))
        {
            // Only read SO_PEERGROUPS when it can matter; null (failure) grants nothing (AUTH-3).
            allowed = access.IsAllowed(peer.Uid, peer.Gid, PeerCredentials.ReadSupplementaryGroups(socket));
        }

        if (!allowed)
        {
            // AUTH-6: one FORBIDDEN, then close; nothing is read from a denied peer.
            audit.Reject(peer, "not-allowed");
            Refuse(socket);
            return null;
        }

        return peer;
    }

    private static void Refuse(Socket socket)
    {
        try
        {
            // A fresh connection's send buffer is empty, so a 10-byte datagram never has to wait;
            // MSG_DONTWAIT makes sure the accept loop never blocks on a peer, MSG_NOSIGNAL that a
            // peer already gone costs an EPIPE, not the process.
            int fd = (int)socket.SafeHandle.DangerousGetHandle();
            _ = Libc.Send(fd, s_forbidden, (nuint)s_forbidden.Length, LinuxAbi.MsgDontWait | LinuxAbi.MsgNoSignal);
        }
        finally
        {
            SocketClose.Close(socket);
        }
    }
}
