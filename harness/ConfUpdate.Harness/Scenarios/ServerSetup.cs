namespace ConfUpdate.Harness.Scenarios;

/// <summary>Changes to the kit's default server configuration, or to what exists at the socket path before start.</summary>
public sealed record ServerSetup
{
    /// <summary>The socket file's mode, octal text (default 0666 in the kit).</summary>
    public string? SocketMode { get; init; }

    /// <summary>The socket file's owner (name or role reference <c>@role</c>).</summary>
    public string? SocketOwner { get; init; }

    /// <summary>The socket file's group.</summary>
    public string? SocketGroup { get; init; }

    /// <summary>The maximum request size M.</summary>
    public int? MaxRequestSize { get; init; }

    /// <summary>Connection and timing limits.</summary>
    public LimitsSetup? Limits { get; init; }

    /// <summary>Replaces the default allow list.</summary>
    public AllowSetup? Allow { get; init; }

    /// <summary>What to put at the socket path before the server starts: stale_socket, live_server, regular_file, symlink, directory.</summary>
    public string? PreStart { get; init; }

    /// <summary>
    /// <c>socket</c>: start the server socket-activated through <c>systemd-socket-activate --seqpacket</c>, which
    /// owns the socket file (SPEC TRANS-5); null: the server creates its socket itself.
    /// </summary>
    public string? Activation { get; init; }

    /// <summary>Whether the server is started socket-activated (<see cref="Activation"/> is <c>socket</c>).</summary>
    public bool SocketActivated => Activation == "socket";

    /// <summary>A key CONF-1 does not define, added to the configuration the kit writes (SPEC CONF-3).</summary>
    public UnknownKeySetup? UnknownKey { get; init; }

    /// <summary>ready (default) or fail: whether the server is expected to start.</summary>
    public string ExpectStart { get; init; } = "ready";
}

/// <summary>CONF-1 <c>Limits</c> overrides.</summary>
public sealed record LimitsSetup
{
    /// <summary>Idle timeout in seconds.</summary>
    public int? IdleTimeoutSeconds { get; init; }

    /// <summary>Total cap on allowed connections.</summary>
    public int? MaxConnections { get; init; }

    /// <summary>Per-uid cap on allowed connections.</summary>
    public int? MaxConnectionsPerUid { get; init; }

    /// <summary>Shutdown grace period in seconds.</summary>
    public int? ShutdownGraceSeconds { get; init; }

    /// <summary>Validator timeout in seconds.</summary>
    public int? ValidatorTimeoutSeconds { get; init; }
}

/// <summary>CONF-1 <c>Allow</c> list; roles are mapped to account names by the kit.</summary>
public sealed record AllowSetup
{
    /// <summary>Roles whose accounts are allowed by user name.</summary>
    public IReadOnlyList<string> Roles { get; init; } = [];

    /// <summary>Account names allowed by name.</summary>
    public IReadOnlyList<string> Users { get; init; } = [];

    /// <summary>Group names allowed.</summary>
    public IReadOnlyList<string> Groups { get; init; } = [];

    /// <summary>Uids allowed.</summary>
    public IReadOnlyList<uint> Uids { get; init; } = [];
}

/// <summary>Where to add a key that CONF-1 does not define, and its name.</summary>
public sealed record UnknownKeySetup
{
    /// <summary>document (beside <c>ConfUpdate</c>), section, socket, allow, limits or target (the first).</summary>
    public required string In { get; init; }

    /// <summary>The key's name, such as <c>Alow</c>.</summary>
    public required string Name { get; init; }
}
