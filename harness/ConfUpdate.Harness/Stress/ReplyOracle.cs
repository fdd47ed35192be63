using System.Buffers.Binary;
using System.Security.Cryptography;
using ConfUpdate.Protocol;

namespace ConfUpdate.Harness.Stress;

/// <summary>
/// What SPEC allows as the reply to one request datagram, whatever it holds (FRAME-3..FRAME-9, STAT-1,
/// OP-1..OP-3): the header echoes the opcode and id, the size is bounded, the status is one the request
/// can earn, and the body has the shape its status and opcode give it. The status a malformed request
/// must get is decided by the protocol library's decoder, whose checks follow FRAME-6's order.
/// </summary>
internal static class ReplyOracle
{
    private const byte ReplyBit = 0x80;

    // Statuses a well-formed request may earn, per opcode; FORBIDDEN, BUSY and SHUTTING_DOWN are unsolicited only.
    private static readonly Status[] s_replaceStatuses =
        [Status.Ok, Status.TooLarge, Status.ValidationFailed, Status.Conflict, Status.InternalError, Status.UnsafeTarget];

    private static readonly Status[] s_getVersionStatuses = [Status.Ok, Status.InternalError, Status.UnsafeTarget];

    /// <summary>Null when the reply is one SPEC allows for <paramref name="request"/>; otherwise what is wrong.</summary>
    /// <param name="request">The request datagram as sent.</param>
    /// <param name="reply">The reply as received.</param>
    /// <param name="maxRequestSize">The server's M (FRAME-4).</param>
    /// <param name="knownTarget">The one configured target name.</param>
    public static string? Judge(byte[] request, StressReply reply, int maxRequestSize, string knownTarget)
    {
        byte[] r = reply.Bytes;
        if (reply.Length > ProtocolLimits.MaxReplySize)
        {
            return $"reply is {reply.Length} bytes, over 2048 (FRAME-9)";
        }

        if (r.Length < ProtocolLimits.ReplyHeaderSize)
        {
            return $"reply is {r.Length} bytes, shorter than the 10-byte header (FRAME-3)";
        }

        if (r[0] != ProtocolLimits.Version || r[3] != 0)
        {
            return $"reply version byte {r[0]} / reserved byte {r[3]}; expected 1 / 0 (FRAME-3)";
        }

        int detailLength = BinaryPrimitives.ReadUInt16BigEndian(r.AsSpan(8));
        if (detailLength > ProtocolLimits.MaxDetailBytes || ProtocolLimits.ReplyHeaderSize + detailLength > r.Length)
        {
            return $"detail length {detailLength} is over 1024 or past the end of a {r.Length}-byte reply (FRAME-3)";
        }

        var status = (Status)r[2];
        if (r[2] > (byte)Status.ShuttingDown)
        {
            return $"status {r[2]} is not in STAT-1's closed list (STAT-1)";
        }

        uint id = BinaryPrimitives.ReadUInt32BigEndian(r.AsSpan(4));
        ReadOnlySpan<byte> body = r.AsSpan(ProtocolLimits.ReplyHeaderSize + detailLength);
        bool shortRequest = request.Length < ProtocolLimits.RequestHeaderSize;
        byte expectedOpcode = shortRequest ? ReplyBit : (byte)(request[1] | ReplyBit);
        uint expectedId = shortRequest ? 0 : BinaryPrimitives.ReadUInt32BigEndian(request.AsSpan(4));
        if (r[1] != expectedOpcode || id != expectedId)
        {
            return $"reply opcode 0x{r[1]:x2} id {id}; expected 0x{expectedOpcode:x2} id {expectedId} (FRAME-3)";
        }

        Status[] allowed = Allowed(request, maxRequestSize, knownTarget, out string why);
        if (!allowed.Contains(status))
        {
            return $"status {StatusInfo.WireName(status)} for {why}; expected {string.Join(" or ", allowed.Select(StatusInfo.WireName))}";
        }

        return BodyProblem(request, status, body);
    }

    /// <summary>The statuses SPEC allows for this request, and why (for messages).</summary>
    public static Status[] Allowed(byte[] request, int maxRequestSize, string knownTarget, out string why)
    {
        if (request.Length > maxRequestSize)
        {
            why = $"a {request.Length}-byte datagram over M (FRAME-4)";
            return [Status.TooLarge];
        }

        if (!RequestCodec.TryDecode(request, out Request? decoded, out RequestDecodeError? error))
        {
            why = $"a malformed request ({error!.Message})";
            return [error.Status];
        }

        switch (decoded)
        {
            case HelloRequest:
                why = "a HELLO (OP-1)";
                return [Status.Ok];
            case GetVersionRequest get:
                why = $"GET_VERSION of '{get.Target}' (OP-3, TGT-1)";
                return get.Target == knownTarget ? s_getVersionStatuses : [Status.UnknownTarget];
            case ReplaceRequest replace:
                why = $"REPLACE of '{replace.Target}' (OP-2, TGT-1)";
                return replace.Target == knownTarget ? s_replaceStatuses : [Status.UnknownTarget];
            default:
                why = "an unknown request";
                return [Status.UnknownOperation];
        }
    }

    private static string? BodyProblem(byte[] request, Status status, ReadOnlySpan<byte> body)
    {
        if (status == Status.UnsupportedVersion)
        {
            return body.Length == 1 && body[0] == ProtocolLimits.Version ? null : $"UNSUPPORTED_VERSION body is {body.Length} bytes; expected the one byte 1 (FRAME-7)";
        }

        if (status != Status.Ok)
        {
            return body.Length == 0 ? null : $"{StatusInfo.WireName(status)} carries a {body.Length}-byte body; only OK and UNSUPPORTED_VERSION have one (FRAME-3)";
        }

        switch ((Opcode)request[1])
        {
            case Opcode.Hello:
                // 1 version + 4 M + (1 + n) name + (1 + n) version, exactly.
                if (body.Length < 7 || body[0] != ProtocolLimits.Version)
                {
                    return $"HELLO body of {body.Length} bytes is not version, M, name, version (OP-1)";
                }

                int nameEnd = 6 + body[5];
                return nameEnd < body.Length && nameEnd + 1 + body[nameEnd] == body.Length ? null : "HELLO body's length-prefixed strings do not end the body exactly (OP-1)";
            case Opcode.GetVersion:
                return body.Length == 41 && body[0] <= 1 ? null : $"GET_VERSION body is {body.Length} bytes (exists {(body.Length > 0 ? body[0] : -1)}); expected 41 with exists 0 or 1 (OP-3)";
            case Opcode.Replace:
                RequestCodec.TryDecode(request, out Request? decoded, out _);
                byte[] expected = SHA256.HashData(((ReplaceRequest)decoded!).Content.Span);
                return body.SequenceEqual(expected) ? null : $"REPLACE OK body is not the SHA-256 of the content sent (OP-2)";
            default:
                return "OK for an opcode that has none";
        }
    }
}
