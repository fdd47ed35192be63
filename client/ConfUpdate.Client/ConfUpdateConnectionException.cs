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
        : base(message, innerException)
    {
        ArgumentNullException.ThrowIfNull(socketPath);
        Reason = reason;
        SocketPath = socketPath;
    }

    /// <summary>What went wrong.</summary>
    public ConfUpdateConnectionReason Reason { get; }

    /// <summary>The socket path the client used.</summary>
    public string SocketPath { get; }
}
