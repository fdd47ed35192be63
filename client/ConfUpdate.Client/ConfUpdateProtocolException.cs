namespace ConfUpdate.Client;

/// <summary>
/// The server's reply broke the protocol (malformed, truncated, or not the reply to the request sent;
/// SPEC FRAME-3, FRAME-9), or no reply arrived within the request timeout. The client closes the
/// connection, since it can no longer tell which reply belongs to which request.
/// </summary>
public sealed class ConfUpdateProtocolException : ConfUpdateException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What was expected and what arrived.</param>
    /// <param name="isTimeout">Whether the cause is a reply (or connect) that did not arrive in time.</param>
    /// <param name="innerException">The decoding error behind it, if any.</param>
    public ConfUpdateProtocolException(string message, bool isTimeout = false, Exception? innerException = null)
        : base(message, innerException)
    {
        IsTimeout = isTimeout;
    }

    /// <summary>Whether no reply (or no connection) came within <see cref="ConfUpdateClientOptions.RequestTimeout"/>.</summary>
    public bool IsTimeout { get; }
}
