namespace ConfUpdate.Server.Configuration;

/// <summary>The validated, immutable server configuration (SPEC CONF-1). Built once at start by <see cref="ConfigReader"/>.</summary>
/// <param name="ServerName">Announced in the HELLO reply.</param>
/// <param name="MaxRequestSize">M: the largest request datagram accepted (SPEC FRAME-4).</param>
/// <param name="Socket">Where and how to listen.</param>
/// <param name="Access">Who may connect.</param>
/// <param name="Limits">Timeouts and caps.</param>
/// <param name="Targets">The files clients may replace, by name.</param>
internal sealed record ServerConfig(
    string ServerName,
    int MaxRequestSize,
    SocketConfig Socket,
    AccessPolicy Access,
    LimitsConfig Limits,
    IReadOnlyList<TargetConfig> Targets);

/// <summary>The listening socket (SPEC TRANS-2).</summary>
/// <param name="Path">Filesystem path of the socket.</param>
/// <param name="Owner">uid the socket file gets.</param>
/// <param name="Group">gid the socket file gets.</param>
/// <param name="Mode">Exact permission bits of the socket file.</param>
internal sealed record SocketConfig(string Path, uint Owner, uint Group, UnixFileMode Mode);

/// <summary>Timeouts and connection caps (SPEC CONN-2, CONN-3, LIFE-1, TGT-4).</summary>
/// <param name="IdleTimeout">A connection with no request for this long is closed.</param>
/// <param name="MaxConnections">Open connections of allowed peers, in total.</param>
/// <param name="MaxConnectionsPerUid">Open connections of allowed peers, per uid.</param>
/// <param name="ShutdownGrace">How long in-flight requests may run after SIGTERM.</param>
/// <param name="ValidatorTimeout">How long a validator may run before it is killed.</param>
internal sealed record LimitsConfig(
    TimeSpan IdleTimeout,
    int MaxConnections,
    int MaxConnectionsPerUid,
    TimeSpan ShutdownGrace,
    TimeSpan ValidatorTimeout);

/// <summary>One configured target (SPEC TGT-1..TGT-4).</summary>
/// <param name="Name">The name clients use; exact, case-sensitive match.</param>
/// <param name="Path">Absolute path of the file.</param>
/// <param name="Owner">uid every installed version gets.</param>
/// <param name="Group">gid every installed version gets.</param>
/// <param name="Mode">Permission bits every installed version gets.</param>
/// <param name="MaxSize">Largest content accepted, in bytes.</param>
/// <param name="Validator">Argument vector with a <c>{file}</c> placeholder, or null.</param>
internal sealed record TargetConfig(
    string Name,
    string Path,
    uint Owner,
    uint Group,
    UnixFileMode Mode,
    int MaxSize,
    IReadOnlyList<string>? Validator);
