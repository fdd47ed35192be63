namespace ConfUpdate.Client;

/// <summary>Why the client could not reach the server, or lost it (kernel errors named by what they mean here).</summary>
public enum ConfUpdateConnectionReason
{
    /// <summary>Nothing exists at the socket path (<c>ENOENT</c>): the server is not running or the path is wrong.</summary>
    SocketMissing,

    /// <summary>The socket file's mode or a directory on its path does not let this user connect (<c>EACCES</c>, SPEC TRANS-2).</summary>
    AccessDenied,

    /// <summary>Something exists at the path but no server listens there (<c>ECONNREFUSED</c>): a stale socket, a regular file, or a full backlog.</summary>
    Refused,

    /// <summary>A socket listens at the path, but not a <c>SOCK_SEQPACKET</c> one (<c>EPROTOTYPE</c>, SPEC TRANS-1).</summary>
    WrongSocketType,

    /// <summary>The server closed the connection (end of stream, <c>EPIPE</c>, <c>ECONNRESET</c>), or this client was closed after an earlier failure.</summary>
    Closed,

    /// <summary>The request is larger than the socket's send buffer (<c>EMSGSIZE</c> from send); it was not sent.</summary>
    MessageTooLarge,

    /// <summary>Any other socket error; the inner <see cref="System.Net.Sockets.SocketException"/> names it.</summary>
    Other,
}
