namespace ConfUpdate.Harness.Environment;

/// <summary>The <c>Limits</c> section of a CONF-1 file (SPEC CONN, LIFE, TGT-4); <c>null</c> values are omitted (server default).</summary>
public sealed record KitLimitsConfig
{
    /// <summary>Idle timeout in seconds (SPEC CONN-2).</summary>
    public int? IdleTimeoutSeconds { get; init; }

    /// <summary>Total connection cap (SPEC CONN-3).</summary>
    public int? MaxConnections { get; init; }

    /// <summary>Per-uid connection cap (SPEC CONN-3).</summary>
    public int? MaxConnectionsPerUid { get; init; }

    /// <summary>Shutdown grace period in seconds (SPEC LIFE-1).</summary>
    public int? ShutdownGraceSeconds { get; init; }

    /// <summary>Validator timeout in seconds (SPEC TGT-4).</summary>
    public int? ValidatorTimeoutSeconds { get; init; }
}
