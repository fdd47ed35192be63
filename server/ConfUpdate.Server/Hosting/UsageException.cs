namespace ConfUpdate.Server.Hosting;

/// <summary>A command line the server does not accept; it exits 2 before reading any configuration.</summary>
internal sealed class UsageException : Exception
{
    /// <summary>Creates the error with a message saying what is wrong.</summary>
    public UsageException(string message)
        : base(message)
    {
    }
}
