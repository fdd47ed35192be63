namespace ConfUpdate.Harness.Environment;

/// <summary>
/// The server under test did not become ready: it exited first or the readiness timeout passed
/// (SPEC PROF-2). The kit exits with code 3 (server under test failed to start or died).
/// </summary>
public sealed class ServerStartException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What was expected and what happened.</param>
    /// <param name="exitCode">The server's exit code, or <c>null</c> if it was still running (timeout).</param>
    /// <param name="stderrTail">The last lines the server wrote to standard error.</param>
    public ServerStartException(string message, int? exitCode, string stderrTail)
        : base(message)
    {
        ExitCode = exitCode;
        StderrTail = stderrTail;
    }

    /// <summary>Creates the exception with a message only.</summary>
    public ServerStartException(string message)
        : this(message, null, string.Empty)
    {
    }

    /// <summary>Creates the exception with a message and the failure that caused it.</summary>
    public ServerStartException(string message, Exception innerException)
        : base(message, innerException)
    {
        StderrTail = string.Empty;
    }

    /// <summary>Creates the exception with a generic message.</summary>
    public ServerStartException()
        : this("The server under test did not start.")
    {
    }

    /// <summary>The server's exit code, or <c>null</c> when it was still running when the kit gave up.</summary>
    public int? ExitCode { get; }

    /// <summary>The last lines of the server's standard error, for the report.</summary>
    public string StderrTail { get; }
}
