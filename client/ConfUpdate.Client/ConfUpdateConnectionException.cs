namespace ConfUpdate.Client;

/// <summary>The client could not reach the server's socket, or the connection ended unexpectedly.</summary>
public sealed class ConfUpdateConnectionException : ConfUpdateException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="reason">What went wrong, in terms of the socket.</param>
    /// <param name="socketPath">The socket path the client used.</param>
    /// <param name="message">What was expected and what happened.</param>
    /// <param name="innerException">The socket error behind it, if any.</param>
    public ConfUpdateConnectionException(ConfUpdateConnectionReason reason, string socketPath, string message, Exception? innerException = null)
        : this(reason, socketPath, message, requestMayHaveBeenApplied: false, innerException)
    {
    }

    /// <summary>Creates the exception for a connection lost while a request was in flight.</summary>
    /// <param name="reason">What went wrong, in terms of the socket.</param>
    /// <param name="socketPath">The socket path the client used.</param>
    /// <param name="message">What was expected and what happened.</param>
    /// <param name="requestMayHaveBeenApplied">Whether the server may have read and carried out the request.</param>
    /// <param name="innerException">The socket error behind it, if any.</param>
    public ConfUpdateConnectionException(ConfUpdateConnectionReason reason, string socketPath, string message, bool requestMayHaveBeenApplied, Exception? innerException = null)
        : base(message, innerException)
    {
        ArgumentNullException.ThrowIfNull(socketPath);
        Reason = reason;
        SocketPath = socketPath;
        RequestMayHaveBeenApplied = requestMayHaveBeenApplied;
    }

    /// <summary>What went wrong.</summary>
    public ConfUpdateConnectionReason Reason { get; }

    /// <summary>The socket path the client used.</summary>
    public string SocketPath { get; }

    /// <summary>
    /// True when the request was sent and the server read it, but the connection ended before its reply
    /// (end of stream, a receive error): the server may have carried it out, so a REPLACE's outcome is
    /// unknown. False when nothing was sent (the connect or the send failed, or the connection was already
    /// closed), and when the kernel reported that the server closed with the request still unread in its
    /// queue (<c>ECONNRESET</c>): such a request was never processed, and sending it again is safe.
    /// </summary>
    public bool RequestMayHaveBeenApplied { get; }
}
