namespace ConfUpdate.Harness.Scenarios;

/// <summary>
/// A datagram to send: a request built from fields (with raw overrides for malformed cases), or raw bytes.
/// </summary>
public sealed record DatagramSpec
{
    /// <summary>hello, replace or get_version (default replace when a target is named, else hello).</summary>
    public string? Op { get; init; }

    /// <summary>A target name: a local name is mapped to its configured name; anything else is sent as is.</summary>
    public string? Target { get; init; }

    /// <summary>Raw name bytes in hex (overrides <see cref="Target"/>).</summary>
    public string? TargetHex { get; init; }

    /// <summary>REPLACE content.</summary>
    public ContentSpec? Content { get; init; }

    /// <summary>Compare-and-set: <c>absent</c>, <c>current</c> (the target's version now), 64 hex digits, or the version of a content (<see cref="ExpectedContent"/>).</summary>
    public string? Expected { get; init; }

    /// <summary>Compare-and-set against the version of this content.</summary>
    public ContentSpec? ExpectedContent { get; init; }

    /// <summary>The request id (default: a fresh one per datagram).</summary>
    public uint? Id { get; init; }

    /// <summary>Raw override of the version byte.</summary>
    public int? Version { get; init; }

    /// <summary>Raw override of the opcode byte.</summary>
    public int? Opcode { get; init; }

    /// <summary>Raw override of the flags field.</summary>
    public int? Flags { get; init; }

    /// <summary>Raw override of REPLACE's options byte.</summary>
    public int? Options { get; init; }

    /// <summary>Raw override of the name length byte.</summary>
    public int? NameLength { get; init; }

    /// <summary>Bytes appended after the body, in hex.</summary>
    public string? TrailingHex { get; init; }

    /// <summary>Cut the datagram to this many bytes.</summary>
    public int? TruncateTo { get; init; }

    /// <summary>Make the whole datagram exactly this size by sizing the REPLACE content (size expression).</summary>
    public string? Size { get; init; }

    /// <summary>A raw datagram in hex, instead of a request.</summary>
    public string? Hex { get; init; }

    /// <summary>A raw datagram of pattern bytes, instead of a request.</summary>
    public ContentSpec? Raw { get; init; }

    /// <summary>A zero-length datagram.</summary>
    public bool Empty { get; init; }
}
