using System.Net.Sockets;

namespace ConfUpdate.Protocol;

/// <summary>AF_UNIX SOCK_SEQPACKET helpers shared by the server, the client and the kit's probe (SPEC TRANS-1).</summary>
public static class SeqPacket
{
    /// <summary>Creates an unconnected AF_UNIX SOCK_SEQPACKET socket.</summary>
    public static Socket Create() => new(AddressFamily.Unix, SocketType.Seqpacket, ProtocolType.Unspecified);

    /// <summary>Connects a new SOCK_SEQPACKET socket to the server at <paramref name="path"/>.</summary>
    /// <exception cref="SocketException">The path is missing (AddressNotAvailable/ENOENT), not accessible (AccessDenied), refused, or not a SOCK_SEQPACKET listener (ProtocolType/EPROTOTYPE).</exception>
    public static async Task<Socket> ConnectAsync(string path, CancellationToken cancellationToken = default)
    {
        Socket socket = Create();
        try
        {
            await socket.ConnectAsync(new UnixDomainSocketEndPoint(path), cancellationToken).ConfigureAwait(false);
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Receives one datagram into <paramref name="buffer"/> and reports its real length. <c>MSG_TRUNC</c>
    /// makes Linux return the full datagram length even when the buffer was too small, so truncation is
    /// detected instead of silently dropping the tail (the seed article's <c>recv(4096)</c> bug, SPEC FRAME-4).
    /// </summary>
    public static async Task<ReceivedDatagram> ReceiveAsync(Socket socket, Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(socket);
        // SocketFlags.Truncated is passed through to recvmsg as MSG_TRUNC on Linux.
        int length = await socket.ReceiveAsync(buffer, SocketFlags.Truncated, cancellationToken).ConfigureAwait(false);
        return new ReceivedDatagram(length, buffer.Length);
    }
}
