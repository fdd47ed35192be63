namespace ConfUpdate.Harness.Scenarios;

/// <summary>
/// An accepted outcome. Every field set must match; <see cref="AnyOf"/> accepts any one of several
/// outcomes (h2spec's verifier). Fields left null are not compared.
/// </summary>
public sealed record Expectation
{
    /// <summary>Any one of these outcomes is accepted.</summary>
    public IReadOnlyList<Expectation>? AnyOf { get; init; }

    /// <summary>The action completed without error (connect, send, close...).</summary>
    public bool? Ok { get; init; }

    /// <summary>An errno name (ENOENT, EPROTOTYPE, EMSGSIZE...) or one of several.</summary>
    public IReadOnlyList<string>? Error { get; init; }

    /// <summary>End of stream: the peer closed (recv returned 0).</summary>
    public bool? Eof { get; init; }

    /// <summary>Nothing arrived within the step's timeout.</summary>
    public bool? Timeout { get; init; }

    /// <summary>The reply's status name (for a burst: every reply's).</summary>
    public string? Status { get; init; }

    /// <summary>Burst: the statuses in order.</summary>
    public IReadOnlyList<string>? Statuses { get; init; }

    /// <summary>The reply's request id.</summary>
    public uint? RequestId { get; init; }

    /// <summary>The reply's opcode byte (request opcode OR 0x80).</summary>
    public int? Opcode { get; init; }

    /// <summary>Burst: how many replies arrived.</summary>
    public int? Replies { get; init; }

    /// <summary>Burst: the replies' ids equal the sent ids, in order.</summary>
    public bool? IdsInOrder { get; init; }

    /// <summary>After the replies: how the receive ended (eof, timeout, or an errno name), one of several.</summary>
    public IReadOnlyList<string>? Then { get; init; }

    /// <summary>Burst: an error while sending is accepted (errno names, or <c>any</c>).</summary>
    public IReadOnlyList<string>? SendError { get; init; }

    /// <summary>HELLO: the announced maximum request size (a size expression; <c>max</c> is the configured M).</summary>
    public string? MaxRequestSize { get; init; }

    /// <summary>HELLO: the announced protocol version.</summary>
    public int? ProtocolVersion { get; init; }

    /// <summary>GET_VERSION: whether the target exists.</summary>
    public bool? Exists { get; init; }

    /// <summary>GET_VERSION: the size (size expression).</summary>
    public string? Size { get; init; }

    /// <summary>GET_VERSION or REPLACE: the version equals the SHA-256 of this content.</summary>
    public ContentSpec? VersionOf { get; init; }

    /// <summary>UNSUPPORTED_VERSION: the one-byte body.</summary>
    public int? HighestVersion { get; init; }

    /// <summary>The reply's detail contains this text.</summary>
    public string? DetailContains { get; init; }

    /// <summary>Client: the exit code.</summary>
    public int? ExitCode { get; init; }

    /// <summary>Client: standard output contains this text.</summary>
    public string? StdoutContains { get; init; }

    /// <summary>Client: standard error contains this text.</summary>
    public string? StderrContains { get; init; }
}
