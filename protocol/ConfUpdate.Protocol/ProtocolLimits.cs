namespace ConfUpdate.Protocol;

/// <summary>Fixed sizes of the wire format (SPEC FRAME-3, FRAME-4, FRAME-9).</summary>
public static class ProtocolLimits
{
    /// <summary>The protocol version this library speaks.</summary>
    public const byte Version = 1;

    /// <summary>Bytes in a request header: version, opcode, flags (u16), request id (u32).</summary>
    public const int RequestHeaderSize = 8;

    /// <summary>Bytes in a reply header before the detail text: version, opcode, status, reserved, request id, detail length (u16).</summary>
    public const int ReplyHeaderSize = 10;

    /// <summary>The longest target name in bytes (its length is one byte on the wire).</summary>
    public const int MaxTargetNameBytes = 255;

    /// <summary>The longest detail text a reply carries, in UTF-8 bytes; longer text is cut at a character boundary.</summary>
    public const int MaxDetailBytes = 1024;

    /// <summary>No reply is larger than this, so a client can always receive one with a buffer of this size plus one.</summary>
    public const int MaxReplySize = 2048;

    /// <summary>The default maximum request size (whole datagram, header included) a server announces.</summary>
    public const int DefaultMaxRequestSize = 65536;

    /// <summary>The smallest maximum request size a server may announce: a REPLACE of a 255-byte name with an expected version and 1 KiB of content.</summary>
    public const int MinMaxRequestSize = 2048;

    /// <summary>Bytes in a content version (SHA-256).</summary>
    public const int VersionSize = 32;
}
