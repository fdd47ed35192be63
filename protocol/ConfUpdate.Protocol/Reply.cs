namespace ConfUpdate.Protocol;

/// <summary>A reply datagram (SPEC FRAME-3): header, human-readable detail, and an operation-specific body.</summary>
/// <param name="Opcode">The request's opcode, or <see cref="Opcode.None"/> for an unsolicited reply.</param>
/// <param name="Status">The outcome.</param>
/// <param name="RequestId">The request's id, or 0 when unsolicited or the request was too short to carry one.</param>
/// <param name="Detail">Human-readable text for logs and users; never parsed by programs.</param>
/// <param name="Body">The operation-specific body (present only for OK and UNSUPPORTED_VERSION).</param>
public sealed record Reply(Opcode Opcode, Status Status, uint RequestId, string Detail, ReadOnlyMemory<byte> Body)
{
    /// <summary>Whether this reply was sent without a request (at accept or shutdown).</summary>
    public bool IsUnsolicited => Opcode == Opcode.None && RequestId == 0 && StatusInfo.ClosesConnection(Status);

    /// <summary>Creates a reply with no body.</summary>
    public static Reply Failure(Opcode opcode, Status status, uint requestId, string detail) =>
        new(opcode, status, requestId, detail, ReadOnlyMemory<byte>.Empty);
}
