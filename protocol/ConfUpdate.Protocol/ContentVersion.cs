using System.Security.Cryptography;

namespace ConfUpdate.Protocol;

/// <summary>
/// A target's version: the SHA-256 of its whole content (SPEC OP-3). An absent target has the
/// all-zero version, which is also what compare-and-set expects for "create only" (SPEC OP-4).
/// </summary>
public sealed class ContentVersion : IEquatable<ContentVersion>
{
    private readonly byte[] _bytes;

    private ContentVersion(byte[] bytes) => _bytes = bytes;

    /// <summary>The version of a target that does not exist: 32 zero bytes.</summary>
    public static ContentVersion Absent { get; } = new(new byte[ProtocolLimits.VersionSize]);

    /// <summary>The 32 raw bytes.</summary>
    public ReadOnlySpan<byte> Bytes => _bytes;

    /// <summary>Whether this is the all-zero version of an absent target.</summary>
    public bool IsAbsent => Equals(Absent);

    /// <summary>The version of the given content.</summary>
    public static ContentVersion Of(ReadOnlySpan<byte> content) => new(SHA256.HashData(content));

    /// <summary>Wraps 32 raw bytes (copied).</summary>
    /// <exception cref="ArgumentException">The span is not 32 bytes long.</exception>
    public static ContentVersion FromBytes(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length != ProtocolLimits.VersionSize)
        {
            throw new ArgumentException($"A version is {ProtocolLimits.VersionSize} bytes; got {bytes.Length}.", nameof(bytes));
        }

        return new ContentVersion(bytes.ToArray());
    }

    /// <summary>Parses 64 hexadecimal digits (either case).</summary>
    /// <exception cref="FormatException">The text is not 64 hexadecimal digits.</exception>
    public static ContentVersion Parse(string hex)
    {
        ArgumentNullException.ThrowIfNull(hex);
        if (hex.Length != ProtocolLimits.VersionSize * 2)
        {
            throw new FormatException($"A version is {ProtocolLimits.VersionSize * 2} hexadecimal digits; got {hex.Length} characters.");
        }

        return new ContentVersion(Convert.FromHexString(hex));
    }

    /// <summary>Lower-case hexadecimal, as reports and the CLI print it.</summary>
    public override string ToString() => Convert.ToHexStringLower(_bytes);

    /// <inheritdoc />
    public bool Equals(ContentVersion? other) => other is not null && _bytes.AsSpan().SequenceEqual(other._bytes);

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as ContentVersion);

    /// <inheritdoc />
    public override int GetHashCode() => BitConverter.ToInt32(_bytes, 0);
}
