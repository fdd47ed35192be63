using System.Net.Sockets;
using ConfUpdate.Native;

namespace ConfUpdate.Server.Native;

/// <summary>
/// Closes a connection so that the peer reads every reply we sent and then end of stream.
/// Linux sets <c>ECONNRESET</c> on the peer when an AF_UNIX connection is closed with unread data in
/// its receive queue (<c>unix_release_sock</c>), and a pending error is reported before queued data,
/// so a denied peer that had already sent a request would see ECONNRESET instead of FORBIDDEN
/// (SPEC AUTH-6). Hence: <c>shutdown(SHUT_RDWR)</c> first (the peer's further sends fail with EPIPE),
/// then discard what is already queued without looking at it, then close.
/// </summary>
internal static class SocketClose
{
    // Bounded: the queue holds at most net.unix.max_dgram_qlen (512 by default) datagrams.
    private const int MaxDiscarded = 1024;

    /// <summary>Shuts the connection down, discards unread datagrams unseen, and disposes the socket.</summary>
    public static void Close(Socket socket)
    {
        ArgumentNullException.ThrowIfNull(socket);
        try
        {
            socket.Shutdown(SocketShutdown.Both);
            int fd = (int)socket.SafeHandle.DangerousGetHandle();
            byte[] sink = new byte[1];
            for (int i = 0; i < MaxDiscarded; i++)
            {
                // MSG_TRUNC with a 1-byte buffer drops each datagram whole; 0 is end of queue after
                // SHUT_RD, -1 is EAGAIN (empty) or an error: either way stop.
                if (Libc.Recv(fd, sink, (nuint)sink.Length, LinuxAbi.MsgDontWait | LinuxAbi.MsgTrunc) <= 0)
                {
                    break;
                }
            }
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            // Already gone: nothing to shut down.
        }
        finally
        {
            socket.Dispose();
        }
    }
}
