namespace ConfUpdate.Protocol;

/// <summary>
/// A request as <see cref="RequestWriter"/> lays it out, with raw overrides for malformed cases: every field a
/// conformant client would derive (version, opcode byte, name length, options) can be set to any byte, and
/// bytes can be appended or the datagram cut short.
/// </summary>
/// <param name="Layout">Which body to lay out: HELLO (none), GET_VERSION (name), REPLACE (name, options, version, content).</param>
/// <param name="RequestId">The request id.</param>
public sealed record RawRequest(Opcode Layout, uint RequestId)
{
    /// <summary>The version byte (default: the version this library speaks).</summary>
    public byte Version { get; init; } = ProtocolLimits.Version;

    /// <summary>The opcode byte, when it is to differ from <see cref="Layout"/>.</summary>
    public byte? OpcodeByte { get; init; }

    /// <summary>The header flags (reserved, 0 in a valid request).</summary>
    public ushort Flags { get; init; }

    /// <summary>The raw target name bytes (not checked: empty, over 255 bytes or invalid UTF-8 are all writable).</summary>
    public ReadOnlyMemory<byte> Name { get; init; }

    /// <summary>The name length byte, when it is to differ from the name's length.</summary>
    public byte? NameLength { get; init; }

    /// <summary>REPLACE's options byte, when it is to differ from what <see cref="ExpectedVersion"/> implies.</summary>
    public byte? Options { get; init; }

    /// <summary>REPLACE's expected version (32 bytes in a valid request); null for an unconditional REPLACE.</summary>
    public byte[]? ExpectedVersion { get; init; }

    /// <summary>REPLACE's content.</summary>
    public ReadOnlyMemory<byte> Content { get; init; }

    /// <summary>Bytes appended after the body.</summary>
    public ReadOnlyMemory<byte> Trailing { get; init; }

    /// <summary>Cut the datagram to this many bytes.</summary>
    public int? TruncateTo { get; init; }
}
