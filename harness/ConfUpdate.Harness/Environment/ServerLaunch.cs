namespace ConfUpdate.Harness.Environment;

/// <summary>
/// How to start a server under test (SPEC PROF-1): a command-line template with <c>{config}</c> and
/// <c>{socket}</c> placeholders, split like a shell splits simple words, run as the kit's (root) identity.
/// </summary>
/// <param name="CommandTemplate">For example <c>dotnet /stage/server/confupdate-server.dll --config {config}</c>.</param>
/// <param name="SocketPath">The socket path (substituted for <c>{socket}</c>; readiness connects here).</param>
/// <param name="ConfigPath">The CONF-1 file path (substituted for <c>{config}</c>).</param>
public sealed record ServerLaunch(string CommandTemplate, string SocketPath, string ConfigPath)
{
    /// <summary>How long to wait for readiness (SPEC PROF-2) before giving up.</summary>
    public TimeSpan ReadyTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Extra environment variables for the server process.</summary>
    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();

    /// <summary>The server's working directory; <c>null</c> means the kit's own.</summary>
    public string? WorkingDirectory { get; init; }

    /// <summary>Whether to also accept <c>READY=1</c> on <c>NOTIFY_SOCKET</c> as readiness (the socket connect is always accepted).</summary>
    public bool UseNotifySocket { get; init; } = true;

    /// <summary>The program and arguments after splitting the template and substituting the placeholders.</summary>
    /// <exception cref="FormatException">The template has an unclosed quote or is empty.</exception>
    public IReadOnlyList<string> ExpandCommand()
    {
        IReadOnlyList<string> words = ShellWords.Split(CommandTemplate);
        if (words.Count == 0)
        {
            throw new FormatException("The server command template is empty; expected a program and its arguments.");
        }

        return [.. words.Select(w => w
            .Replace("{config}", ConfigPath, StringComparison.Ordinal)
            .Replace("{socket}", SocketPath, StringComparison.Ordinal))];
    }
}
