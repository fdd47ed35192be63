namespace ConfUpdate.Harness.Cli;

/// <summary>The process's streams and environment, injectable so the commands stay testable as a process and in-memory alike.</summary>
internal sealed record KitIo(TextWriter Out, TextWriter Error, bool OutputIsTerminal, Func<string, string?> Environment)
{
    public KitConsole Console(bool noColor) => KitConsole.Create(Out, noColor, OutputIsTerminal, Environment);

    public void Warn(string message) => Error.WriteLine("confkit: warning: " + message);
}
