namespace ConfUpdate.Protocol;

/// <summary>Why a request datagram could not be decoded, and what the reply to it must echo (SPEC FRAME-6..FRAME-8).</summary>
/// <param name="Status">The status to reply with: BAD_REQUEST, UNSUPPORTED_VERSION or UNKNOWN_OPERATION.</param>
/// <param name="Opcode">The request's opcode byte to echo, undefined values included (<see cref="Opcode.None"/> when the datagram was too short to carry one).</param>
/// <param name="RequestId">The request id to echo (0 when the datagram was too short to carry one).</param>
/// <param name="Message">What was expected and what arrived.</param>
public sealed record RequestDecodeError(Status Status, Opcode Opcode, uint RequestId, string Message);
