namespace ConfUpdate.Protocol;

/// <summary>The kernel did not tell who the peer is; the connection must be refused (SPEC AUTH-4).</summary>
public sealed class PeerCredentialsException : Exception
{
    /// <summary>Creates the exception with a message saying what was expected and what arrived.</summary>
    public PeerCredentialsException(string message) : base(message) { }

    /// <summary>Creates the exception with a message and the socket error behind it.</summary>
    public PeerCredentialsException(string message, Exception inner) : base(message, inner) { }

    /// <summary>Creates the exception with a default message.</summary>
    public PeerCredentialsException() : base("Peer credentials are unavailable.") { }
}
