namespace ConfUpdate.Harness.Scenarios;

/// <summary>A side effect checked after the steps. Exactly one subject is set.</summary>
public sealed record Check
{
    /// <summary>A target's file: content, size, absence, owner, mode.</summary>
    public string? Target { get; init; }

    /// <summary>The target holds exactly this content.</summary>
    public ContentSpec? Content { get; init; }

    /// <summary>The target holds exactly one of these contents (concurrent writers: one whole update won).</summary>
    public IReadOnlyList<ContentSpec>? ContentAnyOf { get; init; }

    /// <summary>The target (or path) does not exist.</summary>
    public bool? Absent { get; init; }

    /// <summary>The target (or victim of a symlink target) holds its initial content, untouched.</summary>
    public bool? Unchanged { get; init; }

    /// <summary>Owner name of the file.</summary>
    public string? Owner { get; init; }

    /// <summary>Group name of the file.</summary>
    public string? Group { get; init; }

    /// <summary>Mode, octal text.</summary>
    public string? Mode { get; init; }

    /// <summary>The target path is still a symbolic link.</summary>
    public bool? IsSymlink { get; init; }

    /// <summary>The socket file: exists, mode, owner, group.</summary>
    public bool? Socket { get; init; }

    /// <summary>With <see cref="Socket"/>: whether it exists.</summary>
    public bool? Exists { get; init; }

    /// <summary>The thing placed at the socket path before start is untouched.</summary>
    public bool? PreStartUntouched { get; init; }

    /// <summary>No temporary files remain in the scenario's target directory (checked for every scenario anyway).</summary>
    public bool? NoTempFiles { get; init; }

    /// <summary>The scenario directory holds no file but the targets' (DUR-3).</summary>
    public bool? NoStrayFiles { get; init; }

    /// <summary>The server is (true) or is not (false) running.</summary>
    public bool? ServerAlive { get; init; }

    /// <summary>The server's exit code (after terminate or a failed start); <c>nonzero</c> accepts any but 0.</summary>
    public string? ServerExit { get; init; }

    /// <summary>The server's stderr contains this text (a failed start names the path...).</summary>
    public string? ServerStderrContains { get; init; }

    /// <summary>The server's open descriptors are back to the count before the scenario.</summary>
    public bool? FdsBaseline { get; init; }

    /// <summary>An audit line with these key=value fields is in the server's stderr.</summary>
    public IReadOnlyDictionary<string, string>? Audit { get; init; }

    /// <summary>No audit line with these key=value fields is in the server's stderr.</summary>
    public IReadOnlyDictionary<string, string>? NoAudit { get; init; }
}
