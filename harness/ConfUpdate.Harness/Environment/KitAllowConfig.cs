namespace ConfUpdate.Harness.Environment;

/// <summary>The <c>Allow</c> section of a CONF-1 file (SPEC AUTH-3): who may use the server.</summary>
public sealed record KitAllowConfig
{
    /// <summary>Allowed user names.</summary>
    public IReadOnlyList<string> Users { get; init; } = [];

    /// <summary>Allowed group names (primary or supplementary membership).</summary>
    public IReadOnlyList<string> Groups { get; init; } = [];

    /// <summary>Allowed numeric uids.</summary>
    public IReadOnlyList<uint> Uids { get; init; } = [];
}
