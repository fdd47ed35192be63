namespace ConfUpdate.Cli;

/// <summary>The user asked for something the CLI cannot do before any server is involved (exit code 2).</summary>
internal sealed class UsageException : Exception
{
    public UsageException(string message) : base(message) { }

    public UsageException(string message, Exception inner) : base(message, inner) { }

    public UsageException() : base("Usage error.") { }
}
