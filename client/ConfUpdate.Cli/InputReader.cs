namespace ConfUpdate.Cli;

/// <summary>Reads the content of an update from a file or standard input, with a size cap.</summary>
internal static class InputReader
{
    /// <summary>
    /// Far above any server's request size (65536 by default, SPEC FRAME-4); it only stops
    /// <c>--file /dev/zero</c> from eating memory. The server or the kernel rejects smaller excess.
    /// </summary>
    public const int MaxInputBytes = 16 * 1024 * 1024;

    /// <summary>Reads all of <paramref name="path"/> ("-" or null: standard input).</summary>
    /// <exception cref="UsageException">The input cannot be read or exceeds <see cref="MaxInputBytes"/>.</exception>
    public static async Task<byte[]> ReadAsync(string? path, Func<Stream> standardInput, CancellationToken cancellationToken)
    {
        bool fromStdin = path is null or "-";
        string what = fromStdin ? "standard input" : path!;
        try
        {
            Stream stream = fromStdin ? standardInput() : new FileStream(path!, FileMode.Open, FileAccess.Read, FileShare.Read, 1, useAsync: true);
            await using (stream.ConfigureAwait(false))
            {
                return await ReadCappedAsync(stream, what, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or NotSupportedException)
        {
            throw new UsageException($"cannot read {what}: {ex.Message}", ex);
        }
    }

    private static async Task<byte[]> ReadCappedAsync(Stream stream, string what, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await stream.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + read > MaxInputBytes)
            {
                throw new UsageException($"{what} is larger than {MaxInputBytes} bytes; no server accepts that much.");
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }
}
