namespace ConfUpdate.Harness.Environment;

/// <summary>One entry of the <c>Targets</c> list of a CONF-1 file (SPEC TGT).</summary>
/// <param name="Name">The target's name as clients send it.</param>
/// <param name="Path">The file the target's content lives in.</param>
public sealed record KitTargetConfig(string Name, string Path)
{
    /// <summary>Owner name or numeric id after each REPLACE (SPEC TGT-3); <c>null</c> means the server's own.</summary>
    public string? Owner { get; init; }

    /// <summary>Group name or numeric id after each REPLACE; <c>null</c> means the server's own.</summary>
    public string? Group { get; init; }

    /// <summary>Mode after each REPLACE; <c>null</c> means 0640.</summary>
    public UnixFileMode? Mode { get; init; }

    /// <summary>Maximum content size in bytes (SPEC TGT-2); <c>null</c> means the server's default.</summary>
    public int? MaxSize { get; init; }

    /// <summary>Validator argument vector with a <c>{file}</c> placeholder (SPEC TGT-4); <c>null</c> means none.</summary>
    public IReadOnlyList<string>? Validator { get; init; }
}
