using System.Buffers.Binary;
using System.Text;
using ConfUpdate.Protocol;

namespace ConfUpdate.Harness.Stress;

/// <summary>
/// Seeded request datagrams for the fuzz check: valid requests of every opcode, structure-aware
/// mutations of them (bit flips, byte overwrites, truncations, header fields and length bytes set to
/// edge values, bytes inserted or cut), boundary lengths around 8 and <em>M</em>, and random bytes.
/// Never an empty datagram (SPEC FRAME-5: that ends the connection).
/// </summary>
internal sealed class FuzzInputs(int seed, int maxRequestSize, string target)
{
    private static readonly byte[] s_edgeBytes = [0x00, 0x01, 0x02, 0x03, 0x04, 0x7f, 0x80, 0x81, 0xfe, 0xff];
    private readonly Random _random = new(seed);
    private uint _nextId;

    /// <summary>The next datagram and the name of the mutation that made it.</summary>
    public (byte[] Datagram, string Kind) Next()
    {
        int pick = _random.Next(100);
        (byte[] datagram, string kind) = pick switch
        {
            < 25 => (Valid(), "valid"),
            < 70 => Mutate(Valid()),
            < 82 => (Boundary(), "boundary-length"),
            _ => (RandomBytes(_random.Next(1, 300)), "random-bytes"),
        };
        return (datagram.Length == 0 ? [0x01] : datagram, kind);
    }

    private byte[] Valid()
    {
        uint id = ++_nextId;
        string name = _random.Next(4) == 0 ? RandomName() : target;
        return _random.Next(3) switch
        {
            0 => RequestCodec.Encode(new HelloRequest(id)),
            1 => RequestCodec.Encode(new GetVersionRequest(id, name)),
            _ => RequestCodec.Encode(new ReplaceRequest(id, name, RandomBytes(_random.Next(0, 512)),
                _random.Next(4) == 0 ? ContentVersion.FromBytes(RandomBytes(32)) : null)),
        };
    }

    private (byte[], string) Mutate(byte[] datagram)
    {
        switch (_random.Next(8))
        {
            case 0:
                for (int i = _random.Next(1, 4); i > 0; i--)
                {
                    datagram[_random.Next(datagram.Length)] ^= (byte)(1 << _random.Next(8));
                }

                return (datagram, "bit-flip");
            case 1:
                datagram[_random.Next(datagram.Length)] = s_edgeBytes[_random.Next(s_edgeBytes.Length)];
                return (datagram, "edge-byte");
            case 2:
                return (datagram[.._random.Next(0, datagram.Length)], "truncated");
            case 3:
                datagram[0] = s_edgeBytes[_random.Next(s_edgeBytes.Length)];
                return (datagram, "version-field");
            case 4:
                datagram[1] = s_edgeBytes[_random.Next(s_edgeBytes.Length)];
                return (datagram, "opcode-field");
            case 5:
                BinaryPrimitives.WriteUInt16BigEndian(datagram.AsSpan(2), (ushort)(1 << _random.Next(16)));
                return (datagram, "flags-field");
            case 6 when datagram.Length > ProtocolLimits.RequestHeaderSize:
                // The name length byte, or the options byte after a name: the body's own structure.
                int at = ProtocolLimits.RequestHeaderSize + (_random.Next(2) == 0 ? 0 : Math.Min(datagram.Length - 9, 1 + datagram[8]));
                datagram[Math.Min(at, datagram.Length - 1)] = s_edgeBytes[_random.Next(s_edgeBytes.Length)];
                return (datagram, "body-length-byte");
            default:
                return (_random.Next(2) == 0
                    ? [.. datagram, .. RandomBytes(_random.Next(1, 64))]
                    : [.. datagram.AsSpan(0, Math.Min(datagram.Length, 9)), .. datagram.AsSpan(Math.Min(datagram.Length, 9 + _random.Next(1, 8)))], "insert-or-cut");
        }
    }

    private byte[] Boundary()
    {
        int[] lengths = [1, 7, 8, 9, 10, 41, 42, 2047, 2048, 2049, maxRequestSize - 1, maxRequestSize, maxRequestSize + 1, maxRequestSize + 4096];
        int length = lengths[_random.Next(lengths.Length)];
        int contentLength = Math.Max(0, length - RequestCodec.ReplaceSize(target, 0, withExpectedVersion: false));
        byte[] replace = RequestCodec.Encode(new ReplaceRequest(++_nextId, target, new byte[contentLength]));
        return replace.Length == length ? replace : replace.Length > length ? replace[..length] : [.. replace, .. new byte[length - replace.Length]];
    }

    private string RandomName()
    {
        string[] names = ["/etc/passwd", "../" + target, target.ToUpperInvariant(), target + " ", ".", "x", new string('n', 255)];
        return names[_random.Next(names.Length)];
    }

    private byte[] RandomBytes(int count)
    {
        byte[] bytes = new byte[count];
        _random.NextBytes(bytes);
        return bytes;
    }

    /// <summary>Hex for a scenario file: <c>01 02 00 00</c>.</summary>
    public static string Hex(ReadOnlySpan<byte> bytes)
    {
        var text = new StringBuilder(bytes.Length * 3);
        foreach (byte b in bytes)
        {
            text.Append(text.Length == 0 ? "" : " ").Append(b.ToString("x2", System.Globalization.CultureInfo.InvariantCulture));
        }

        return text.ToString();
    }
}
