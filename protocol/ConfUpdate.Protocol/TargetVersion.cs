using System.Buffers.Binary;

namespace ConfUpdate.Protocol;

/// <summary>The body of an OK reply to GET_VERSION (SPEC OP-3): existence, size and SHA-256, never the content.</summary>
/// <param name="Exists">Whether the target file exists.</param>
/// <param name="Size">Its size in bytes (0 when absent).</param>
/// <param name="Version">The SHA-256 of its content (<see cref="ContentVersion.Absent"/> when absent).</param>
public sealed record TargetVersion(bool Exists, ulong Size, ContentVersion Version)
{
    /// <summary>Bytes in the encoded body: u8 exists, u64 size, 32-byte version.</summary>
    public const int EncodedSize = 1 + 8 + ProtocolLimits.VersionSize;

    /// <summary>The version of an absent target.</summary>
    public static TargetVersion Absent { get; } = new(false, 0, ContentVersion.Absent);

    /// <summary>Encodes the body.</summary>
    public byte[] Encode()
    {
        var body = new byte[EncodedSize];
        body[0] = Exists ? (byte)1 : (byte)0;
        BinaryPrimitives.WriteUInt64BigEndian(body.AsSpan(1), Size);
        Version.Bytes.CopyTo(body.AsSpan(9));
        return body;
    }

    /// <summary>Decodes the body of an OK GET_VERSION reply.</summary>
    /// <exception cref="ProtocolException">The body is malformed.</exception>
    public static TargetVersion Decode(ReadOnlySpan<byte> body)
    {
        var reader = new WireReader(body, "GET_VERSION reply body");
        byte exists = reader.ReadByte("exists flag");
        if (exists > 1)
        {
            throw new ProtocolException($"GET_VERSION reply body: exists flag is {exists}; expected 0 or 1.");
        }

        ulong size = reader.ReadUInt64("size");
        var version = ContentVersion.FromBytes(reader.ReadBytes(ProtocolLimits.VersionSize, "version"));
        reader.ExpectEnd();
        return new TargetVersion(exists == 1, size, version);
    }
}
