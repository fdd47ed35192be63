using System.Buffers.Binary;
using System.Text;

namespace ConfUpdate.Protocol;

/// <summary>The body of an OK reply to HELLO (SPEC OP-1).</summary>
/// <param name="ProtocolVersion">The protocol version the server speaks.</param>
/// <param name="MaxRequestSize">The largest request datagram, header included, that the server accepts.</param>
/// <param name="ServerName">The implementation's name (at most 255 UTF-8 bytes).</param>
/// <param name="ServerVersion">The implementation's version (at most 255 UTF-8 bytes).</param>
public sealed record HelloInfo(byte ProtocolVersion, uint MaxRequestSize, string ServerName, string ServerVersion)
{
    /// <summary>Encodes the body: u8 version, u32 max request size, u8-prefixed name, u8-prefixed version.</summary>
    public byte[] Encode()
    {
        byte[] name = Wire.Utf8Truncated(ServerName, 255);
        byte[] version = Wire.Utf8Truncated(ServerVersion, 255);
        var body = new byte[1 + 4 + 1 + name.Length + 1 + version.Length];
        body[0] = ProtocolVersion;
        BinaryPrimitives.WriteUInt32BigEndian(body.AsSpan(1), MaxRequestSize);
        body[5] = (byte)name.Length;
        name.CopyTo(body, 6);
        body[6 + name.Length] = (byte)version.Length;
        version.CopyTo(body, 7 + name.Length);
        return body;
    }

    /// <summary>Decodes the body of an OK HELLO reply.</summary>
    /// <exception cref="ProtocolException">The body is malformed.</exception>
    public static HelloInfo Decode(ReadOnlySpan<byte> body)
    {
        var reader = new WireReader(body, "HELLO reply body");
        byte version = reader.ReadByte("protocol version");
        uint max = reader.ReadUInt32("max request size");
        string name = Encoding.UTF8.GetString(reader.ReadBytes(reader.ReadByte("server name length"), "server name"));
        string serverVersion = Encoding.UTF8.GetString(reader.ReadBytes(reader.ReadByte("server version length"), "server version"));
        reader.ExpectEnd();
        return new HelloInfo(version, max, name, serverVersion);
    }
}
