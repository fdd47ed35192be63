namespace ConfUpdate.Harness.Environment;

/// <summary>The <c>Socket</c> section of a CONF-1 file (SPEC TRANS-2): where the server listens and the file's owner, group, mode.</summary>
/// <param name="Path">The socket path.</param>
public sealed record KitSocketConfig(string Path)
{
    /// <summary>Owner name or numeric id; <c>null</c> leaves the server's default (its own user).</summary>
    public string? Owner { get; init; }

    /// <summary>Group name or numeric id; <c>null</c> leaves the server's default.</summary>
    public string? Group { get; init; }

    /// <summary>The socket file's mode; <c>null</c> leaves the default 0660. The kit opens it (0666) to test the peer check (SPEC §14).</summary>
    public UnixFileMode? Mode { get; init; }
}
