namespace ConfUpdate.Client;

/// <summary>
/// A REPLACE reached the server, and the connection (or the wait for the reply) ended before its reply:
/// the server may have installed the content, or not. The client does not send it again, because a
/// second REPLACE could overwrite a newer update made in between. Read the target's version
/// (<see cref="IConfUpdateClient.GetVersionAsync"/>) to learn which content is installed, and retry with
/// compare-and-set if needed.
/// </summary>
public sealed class ConfUpdateOutcomeUnknownException : ConfUpdateException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="target">The target the REPLACE was for.</param>
    /// <param name="socketPath">The server's socket path.</param>
    /// <param name="innerException">How the connection or the wait ended.</param>
    public ConfUpdateOutcomeUnknownException(string target, string socketPath, ConfUpdateException innerException)
        : base(
            $"The outcome of REPLACE '{target}' at {socketPath} is unknown: the server read the request, then {Describe(innerException)} before replying. "
            + "It was not sent again; read the target's version to see whether it was installed.",
            innerException)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(socketPath);
        Target = target;
        SocketPath = socketPath;
    }

    /// <summary>The target the REPLACE was for.</summary>
    public string Target { get; }

    /// <summary>The server's socket path.</summary>
    public string SocketPath { get; }

    private static string Describe(ConfUpdateException ex) => ex switch
    {
        ConfUpdateProtocolException { IsTimeout: true } => "no reply came in time",
        ConfUpdateConnectionException => "the connection ended",
        _ => "the exchange failed",
    };
}
