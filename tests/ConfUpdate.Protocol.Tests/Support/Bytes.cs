namespace ConfUpdate.Protocol.Tests.Support;

/// <summary>Small builders for hand-written datagrams.</summary>
internal static class Bytes
{
    public static byte[] Concat(params byte[][] parts) => parts.SelectMany(p => p).ToArray();

    /// <summary>Bytes 0, 1, …, 255: every byte value once.</summary>
    public static byte[] AllValues() => Enumerable.Range(0, 256).Select(i => (byte)i).ToArray();

    /// <summary><paramref name="count"/> bytes following a pattern seeded by <paramref name="seed"/>, so that misplaced bytes show.</summary>
    public static byte[] Pattern(int count, int seed = 0) =>
        Enumerable.Range(0, count).Select(i => unchecked((byte)((i * 31) + seed))).ToArray();

    public static byte[] Utf8(string text) => System.Text.Encoding.UTF8.GetBytes(text);

    /// <summary>
    /// Asserts two byte sequences are equal. NUnit's element-wise collection comparison takes hundreds of
    /// milliseconds on 64 KiB arrays; this compares with SequenceEqual and reports the first difference.
    /// </summary>
    public static void AssertEqual(ReadOnlySpan<byte> actual, ReadOnlySpan<byte> expected, string what = "bytes")
    {
        if (actual.SequenceEqual(expected))
        {
            return;
        }

        int common = actual.CommonPrefixLength(expected);
        string at = common < Math.Min(actual.Length, expected.Length)
            ? $"first difference at offset {common}: expected 0x{expected[common]:x2}, got 0x{actual[common]:x2}"
            : $"one is a prefix of the other";
        Assert.Fail($"{what}: expected {expected.Length} bytes, got {actual.Length}; {at}.");
    }
}
