namespace ConfUpdate.Protocol;

/// <summary>A datagram does not follow the wire format; the message says what was expected and what arrived.</summary>
public sealed class ProtocolException : Exception
{
    /// <summary>Creates the exception.</summary>
    public ProtocolException(string message) : base(message) { }

    /// <summary>Creates the exception with an inner cause.</summary>
    public ProtocolException(string message, Exception inner) : base(message, inner) { }

    /// <summary>Creates the exception with a default message.</summary>
    public ProtocolException() : base("Malformed datagram.") { }
}
