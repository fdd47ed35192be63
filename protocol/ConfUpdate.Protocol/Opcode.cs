namespace ConfUpdate.Protocol;

/// <summary>Request operations (SPEC OP-1..OP-3). A reply carries <c>opcode | 0x80</c>.</summary>
public enum Opcode : byte
{
    /// <summary>Not a request: the opcode of an unsolicited reply (FORBIDDEN, BUSY, SHUTTING_DOWN) or of a reply to a request too short to name one.</summary>
    None = 0x00,

    /// <summary>Ask for the server's protocol version, maximum request size, name and version (SPEC OP-1).</summary>
    Hello = 0x01,

    /// <summary>Replace a target's whole content, optionally only if its current version matches (SPEC OP-2, OP-4).</summary>
    Replace = 0x02,

    /// <summary>Read a target's current version: existence, size and SHA-256, never the content (SPEC OP-3).</summary>
    GetVersion = 0x03,
}
