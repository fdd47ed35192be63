using System.Buffers.Binary;
using System.Text;

namespace ConfUpdate.Protocol;

/// <summary>
/// Encodes and decodes reply datagrams (SPEC FRAME-3). All integers are big-endian.
/// <code>
/// offset 0   u8   protocol version (1)
/// offset 1   u8   request opcode | 0x80 (0x80 alone when unsolicited)
/// offset 2   u8   status
/// offset 3   u8   reserved: 0
/// offset 4   u32  request id (0 when unsolicited)
/// offset 8   u16  detail length D (at most 1024)
/// offset 10  D bytes of UTF-8 detail, then the body
/// </code>
/// </summary>
public static class ReplyCodec
{
    /// <summary>The bit that marks a datagram as a reply.</summary>
    public const byte ReplyBit = 0x80;

    /// <summary>The opcode byte (offset 1) of a reply datagram, even one that does not decode; null when it is too short to have one.</summary>
    public static byte? OpcodeByteOf(ReadOnlySpan<byte> datagram) => datagram.Length > 1 ? datagram[1] : null;

    /// <summary>Encodes a reply; the detail is cut to 1024 UTF-8 bytes so the datagram never exceeds <see cref="ProtocolLimits.MaxReplySize"/>.</summary>
    /// <exception cref="ArgumentException">The body would make the reply larger than the maximum.</exception>
    public static byte[] Encode(Reply reply)
    {
        ArgumentNullException.ThrowIfNull(reply);
        byte[] detail = Wire.Utf8Truncated(reply.Detail, ProtocolLimits.MaxDetailBytes);
        int size = ProtocolLimits.ReplyHeaderSize + detail.Length + reply.Body.Length;
        if (size > ProtocolLimits.MaxReplySize)
        {
            throw new ArgumentException($"Reply would be {size} bytes; the maximum is {ProtocolLimits.MaxReplySize}.", nameof(reply));
        }

        var datagram = new byte[size];
        datagram[0] = ProtocolLimits.Version;
        datagram[1] = (byte)(ReplyBit | (byte)reply.Opcode);
        datagram[2] = (byte)reply.Status;
        BinaryPrimitives.WriteUInt32BigEndian(datagram.AsSpan(4), reply.RequestId);
        BinaryPrimitives.WriteUInt16BigEndian(datagram.AsSpan(8), (ushort)detail.Length);
        detail.CopyTo(datagram, ProtocolLimits.ReplyHeaderSize);
        reply.Body.Span.CopyTo(datagram.AsSpan(ProtocolLimits.ReplyHeaderSize + detail.Length));
        return datagram;
    }

    /// <summary>Decodes one reply datagram.</summary>
    /// <exception cref="ProtocolException">The datagram is not a well-formed reply.</exception>
    public static Reply Decode(ReadOnlySpan<byte> datagram)
    {
        if (datagram.Length > ProtocolLimits.MaxReplySize)
        {
            throw new ProtocolException($"Reply is {datagram.Length} bytes; the maximum is {ProtocolLimits.MaxReplySize}.");
        }

        var reader = new WireReader(datagram, "reply");
        byte version = reader.ReadByte("protocol version");
        if (version != ProtocolLimits.Version)
        {
            throw new ProtocolException($"Reply has protocol version {version}; expected {ProtocolLimits.Version}.");
        }

        byte opcode = reader.ReadByte("opcode");
        if ((opcode & ReplyBit) == 0)
        {
            throw new ProtocolException($"Reply opcode byte 0x{opcode:x2} lacks the reply bit 0x80.");
        }

        var status = (Status)reader.ReadByte("status");
        byte reserved = reader.ReadByte("reserved");
        if (reserved != 0)
        {
            throw new ProtocolException($"Reply reserved byte is 0x{reserved:x2}; expected 0.");
        }

        uint id = reader.ReadUInt32("request id");
        ushort detailLength = reader.ReadUInt16("detail length");
        if (detailLength > ProtocolLimits.MaxDetailBytes)
        {
            throw new ProtocolException($"Reply detail is {detailLength} bytes; the maximum is {ProtocolLimits.MaxDetailBytes}.");
        }

        string detail = Encoding.UTF8.GetString(reader.ReadBytes(detailLength, "detail"));
        byte[] body = reader.ReadRest().ToArray();
        return new Reply((Opcode)(opcode & ~ReplyBit), status, id, detail, body);
    }
}
