namespace ConfUpdate.Client;

/// <summary>
/// The base of every error the ConfUpdate client reports: a status from the server
/// (<see cref="ConfUpdateStatusException"/>), a socket that cannot be reached or that closed
/// (<see cref="ConfUpdateConnectionException"/>), or a reply that breaks the protocol
/// (<see cref="ConfUpdateProtocolException"/>).
/// </summary>
public abstract class ConfUpdateException : Exception
{
    /// <summary>Creates the exception with a message saying what was expected and what arrived.</summary>
    protected ConfUpdateException(string message) : base(message) { }

    /// <summary>Creates the exception with a message and the error behind it.</summary>
    protected ConfUpdateException(string message, Exception? innerException) : base(message, innerException) { }
}
