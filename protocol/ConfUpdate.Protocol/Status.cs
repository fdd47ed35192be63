namespace ConfUpdate.Protocol;

/// <summary>The closed list of reply statuses (SPEC STAT-1). Numbers are wire values and never change.</summary>
public enum Status : byte
{
    /// <summary>The request was carried out; for REPLACE the content is in place and durable.</summary>
    Ok = 0,

    /// <summary>The peer is not allowed; sent unsolicited at accept, then the server closes.</summary>
    Forbidden = 1,

    /// <summary>The datagram is not a well-formed request; nothing was applied.</summary>
    BadRequest = 2,

    /// <summary>The request's protocol version is not supported; the body names the highest supported version.</summary>
    UnsupportedVersion = 3,

    /// <summary>The opcode is not one this protocol version defines.</summary>
    UnknownOperation = 4,

    /// <summary>The datagram exceeds the announced maximum request size, or the content exceeds the target's maximum.</summary>
    TooLarge = 5,

    /// <summary>The name is not one of the server's configured targets.</summary>
    UnknownTarget = 6,

    /// <summary>The target's validator rejected the candidate content; the detail carries its verdict.</summary>
    ValidationFailed = 7,

    /// <summary>Compare-and-set failed: the target's current version is not the expected one.</summary>
    Conflict = 8,

    /// <summary>A connection cap is reached; sent unsolicited at accept, then the server closes.</summary>
    Busy = 9,

    /// <summary>The server failed to carry out a valid request (I/O error, validator could not start); nothing was applied.</summary>
    InternalError = 10,

    /// <summary>The target path is a symbolic link or not a regular file; the server refuses to touch it.</summary>
    UnsafeTarget = 11,

    /// <summary>The server is stopping; sent unsolicited to connections that are still idle, then the server closes.</summary>
    ShuttingDown = 12,
}
