using System.Buffers.Binary;

namespace ConfUpdate.Protocol;

/// <summary>
/// The 8-byte request header (SPEC FRAME-3), read and written here only. Raw: any byte values, so that a
/// server can echo a malformed request's opcode and id, and a test kit can write one.
/// </summary>
/// <param name="Version">Offset 0: the protocol version byte.</param>
/// <param name="OpcodeByte">Offset 1: the opcode byte, defined or not.</param>
/// <param name="Flags">Offset 2: u16 flags, reserved (0).</param>
/// <param name="RequestId">Offset 4: u32 request id, echoed in the reply.</param>
public readonly record struct RequestHeader(byte Version, byte OpcodeByte, ushort Flags, uint RequestId)
{
    /// <summary>The opcode byte as an <see cref="Opcode"/> (possibly an undefined value).</summary>
    public Opcode Opcode => (Opcode)OpcodeByte;

    /// <summary>Reads the header of <paramref name="datagram"/>; false when it is shorter than a header.</summary>
    public static bool TryRead(ReadOnlySpan<byte> datagram, out RequestHeader header)
    {
        if (datagram.Length < ProtocolLimits.RequestHeaderSize)
        {
            header = default;
            return false;
        }

        header = new RequestHeader(
            datagram[0], datagram[1], BinaryPrimitives.ReadUInt16BigEndian(datagram[2..]), BinaryPrimitives.ReadUInt32BigEndian(datagram[4..]));
        return true;
    }

    /// <summary>Writes the header into the first <see cref="ProtocolLimits.RequestHeaderSize"/> bytes of <paramref name="destination"/>.</summary>
    public void WriteTo(Span<byte> destination)
    {
        destination[0] = Version;
        destination[1] = OpcodeByte;
        BinaryPrimitives.WriteUInt16BigEndian(destination[2..], Flags);
        BinaryPrimitives.WriteUInt32BigEndian(destination[4..], RequestId);
    }
}
