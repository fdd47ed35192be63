namespace ConfUpdate.Protocol.Tests.Support;

/// <summary>Small builders for hand-written datagrams.</summary>
internal static class Bytes
{
    public static byte[] Concat(params byte[][] parts) => parts.SelectMany(p => p).ToArray();

    /// <summary>Bytes 0, 1, …, 255: every byte value once.</summary>
    public static byte[] AllValues() => Enumerable.Range(0, 256).Select(i => (byte)i).ToArray();

    /// <summary><paramref name="count"/> bytes following a pattern seeded by <paramref name="seed"/>, so that misplaced bytes show.</summary>
    public static byte[] Pattern(int count, int seed = 0) =>
        Enumerable.Range(0, count).Select(i => (byte)((i * 31) + seed)).ToArray();

    public static byte[] Utf8(string text) => System.Text.Encoding.UTF8.GetBytes(text);
}
