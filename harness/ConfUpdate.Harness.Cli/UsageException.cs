namespace ConfUpdate.Harness.Cli;

/// <summary>The command line or a file it names is wrong; the kit exits 2 with the message (which says what to do).</summary>
internal sealed class UsageException(string message) : Exception(message);
