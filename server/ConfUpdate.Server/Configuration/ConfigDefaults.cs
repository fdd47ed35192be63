using ConfUpdate.Protocol;

namespace ConfUpdate.Server.Configuration;

/// <summary>Defaults of every key (SPEC CONF-1), in one place so that <c>--help</c> and the reader agree.</summary>
internal static class ConfigDefaults
{
    /// <summary>The configuration section every key lives under.</summary>
    public const string Section = "ConfUpdate";

    /// <summary>Announced in HELLO.</summary>
    public const string ServerName = "confupdate-reference";

    /// <summary>M (SPEC FRAME-4).</summary>
    public const int MaxRequestSize = ProtocolLimits.DefaultMaxRequestSize;

    /// <summary>
    /// The largest M accepted. The spec sets no upper bound; this one keeps the per-connection receive
    /// buffer (M + 1 bytes, up to 64 connections) bounded, and the kernel's socket buffers cap a
    /// SOCK_SEQPACKET datagram well below it anyway.
    /// </summary>
    public const int MaxMaxRequestSize = 16 * 1024 * 1024;

    /// <summary>Where the socket lives (systemd's RuntimeDirectory=confupdate).</summary>
    public const string SocketPath = "/run/confupdate/confupdate.sock";

    /// <summary>Socket file mode (SPEC TRANS-2).</summary>
    public const UnixFileMode SocketMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.GroupWrite;

    /// <summary>Target file mode (SPEC CONF-1).</summary>
    public const UnixFileMode TargetMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead;

    /// <summary>SPEC CONN-2.</summary>
    public const double IdleTimeoutSeconds = 30;

    /// <summary>SPEC CONN-3.</summary>
    public const int MaxConnections = 64;

    /// <summary>SPEC CONN-3.</summary>
    public const int MaxConnectionsPerUid = 8;

    /// <summary>SPEC LIFE-1.</summary>
    public const double ShutdownGraceSeconds = 10;

    /// <summary>SPEC TGT-4.</summary>
    public const double ValidatorTimeoutSeconds = 10;

    /// <summary>The optional system-wide configuration file.</summary>
    public const string SystemConfigFile = "/etc/confupdate/confupdate.json";

    /// <summary>Longest socket path: <c>sizeof(sun_path)</c> is 108 bytes including the terminating NUL.</summary>
    public const int MaxSocketPathBytes = 107;

    /// <summary>
    /// The largest REPLACE overhead: header, name length, a 255-byte name, options, expected version.
    /// A target's default MaxSize is M minus this (SPEC TGT-2, CONF-1).
    /// </summary>
    public const int MaxReplaceOverhead = ProtocolLimits.RequestHeaderSize + 1 + ProtocolLimits.MaxTargetNameBytes + 1 + ProtocolLimits.VersionSize;
}
