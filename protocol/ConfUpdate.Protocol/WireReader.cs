using System.Buffers.Binary;

namespace ConfUpdate.Protocol;

/// <summary>A forward-only reader over a datagram whose errors name the field and the sizes involved.</summary>
internal ref struct WireReader
{
    private readonly ReadOnlySpan<byte> _data;
    private readonly string _what;
    private int _position;

    public WireReader(ReadOnlySpan<byte> data, string what)
    {
        _data = data;
        _what = what;
        _position = 0;
    }

    public readonly int Remaining => _data.Length - _position;

    public byte ReadByte(string field) => ReadBytes(1, field)[0];

    public uint ReadUInt32(string field) => BinaryPrimitives.ReadUInt32BigEndian(ReadBytes(4, field));

    public ulong ReadUInt64(string field) => BinaryPrimitives.ReadUInt64BigEndian(ReadBytes(8, field));

    public ushort ReadUInt16(string field) => BinaryPrimitives.ReadUInt16BigEndian(ReadBytes(2, field));

    public ReadOnlySpan<byte> ReadBytes(int count, string field)
    {
        if (count > Remaining)
        {
            throw new ProtocolException(
                $"{_what}: {field} needs {count} byte(s) at offset {_position}, but only {Remaining} remain of {_data.Length}.");
        }

        ReadOnlySpan<byte> slice = _data.Slice(_position, count);
        _position += count;
        return slice;
    }

    public ReadOnlySpan<byte> ReadRest()
    {
        ReadOnlySpan<byte> rest = _data[_position..];
        _position = _data.Length;
        return rest;
    }

    public readonly void ExpectEnd()
    {
        if (Remaining != 0)
        {
            throw new ProtocolException($"{_what}: {Remaining} unexpected trailing byte(s) after offset {_position}.");
        }
    }
}
