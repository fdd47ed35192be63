using System.Net.Sockets;

namespace ConfUpdate.Client;

/// <summary>
/// Turns kernel errors into <see cref="ConfUpdateConnectionException"/>s. The <see cref="SocketError"/>
/// names are .NET's translation of errno on Linux, which is not always the obvious one: measured on
/// .NET 10 / Linux 6, a connect() to a missing path (ENOENT) surfaces as
/// <see cref="SocketError.AddressNotAvailable"/> (NativeErrorCode 99, EADDRNOTAVAIL's number), and
/// SocketError has no "not found" member at all.
/// </summary>
internal static class SocketErrors
{
    public static ConfUpdateConnectionException ForConnect(SocketException ex, string path)
    {
        (ConfUpdateConnectionReason reason, string message) = ex.SocketErrorCode switch
        {
            // ENOENT. (ENOTDIR, a path through a regular file, has no SocketError name and lands in Other.)
            SocketError.AddressNotAvailable =>
                (ConfUpdateConnectionReason.SocketMissing, $"No server at {path}: the socket file does not exist (ENOENT); expected a listening SOCK_SEQPACKET socket there."),
            SocketError.AccessDenied =>
                (ConfUpdateConnectionReason.AccessDenied, $"Permission denied connecting to {path} (EACCES): the socket file's mode or a directory on its path does not let this user connect."),
            SocketError.ConnectionRefused =>
                (ConfUpdateConnectionReason.Refused, $"Connection to {path} refused (ECONNREFUSED): something exists there but no server is listening (a stale socket, a file that is not a socket, or a full backlog)."),
            SocketError.ProtocolType =>
                (ConfUpdateConnectionReason.WrongSocketType, $"The socket at {path} is not SOCK_SEQPACKET (EPROTOTYPE); expected a ConfUpdate server's SOCK_SEQPACKET socket (SPEC TRANS-1)."),
            _ =>
                (ConfUpdateConnectionReason.Other, $"Connecting to {path} failed: {ex.SocketErrorCode} ({ex.Message})."),
        };
        return new ConfUpdateConnectionException(reason, path, message, ex);
    }

    /// <summary>Whether a send or receive error means the server has closed the connection.</summary>
    public static bool IsClosedByPeer(SocketException ex) =>
        // EPIPE surfaces as Shutdown; ECONNRESET is set when the server closed with our request unread.
        ex.SocketErrorCode is SocketError.Shutdown or SocketError.ConnectionReset or SocketError.ConnectionAborted or SocketError.NotConnected;
}
