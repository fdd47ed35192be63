using System.Net.Sockets;

namespace ConfUpdate.Probe;

/// <summary>Turns .NET's portable socket errors back into the Linux errno names scenarios compare.</summary>
internal static class Errno
{
    public static string NameOf(SocketException ex) => ex.SocketErrorCode switch
    {
        // .NET maps ENOENT on a Unix-socket connect to AddressNotAvailable.
        SocketError.AddressNotAvailable => "ENOENT",
        SocketError.AccessDenied => "EACCES",
        SocketError.ConnectionRefused => "ECONNREFUSED",
        SocketError.ProtocolType => "EPROTOTYPE",
        SocketError.ConnectionReset => "ECONNRESET",
        // EPIPE surfaces as Shutdown (.NET ignores SIGPIPE).
        SocketError.Shutdown => "EPIPE",
        SocketError.MessageSize => "EMSGSIZE",
        SocketError.NoBufferSpaceAvailable => "ENOBUFS",
        SocketError.NotConnected => "ENOTCONN",
        SocketError.TimedOut => "ETIMEDOUT",
        SocketError.WouldBlock => "EAGAIN",
        SocketError.ConnectionAborted => "ECONNABORTED",
        SocketError.InvalidArgument => "EINVAL",
        SocketError.AddressFamilyNotSupported => "EAFNOSUPPORT",
        SocketError.SocketNotSupported => "ESOCKTNOSUPPORT",
        SocketError.OperationNotSupported => "EOPNOTSUPP",
        _ => ex.SocketErrorCode.ToString().ToUpperInvariant(),
    };
}
