namespace ConfUpdate.Harness.Scenarios;

/// <summary>A run of the reference client CLI.</summary>
public sealed record ClientRun
{
    /// <summary>Arguments after <c>--socket P</c>; a local target name is mapped to its configured name.</summary>
    public IReadOnlyList<string> Args { get; init; } = [];

    /// <summary>Content written to a file passed as <c>--file</c>.</summary>
    public ContentSpec? File { get; init; }
}
