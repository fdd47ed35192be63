namespace ConfUpdate.Cli;

/// <summary>The process's streams and environment, passed in so the application never touches globals.</summary>
/// <param name="Out">Standard output: results (text or JSON).</param>
/// <param name="Error">Standard error: one-line messages.</param>
/// <param name="Input">Opens standard input, read only by <c>update</c> without --file.</param>
/// <param name="Environment">Looks up an environment variable.</param>
/// <param name="InputIsTerminal">Whether standard input is an interactive terminal.</param>
internal sealed record CliConsole(TextWriter Out, TextWriter Error, Func<Stream> Input, Func<string, string?> Environment, bool InputIsTerminal);
