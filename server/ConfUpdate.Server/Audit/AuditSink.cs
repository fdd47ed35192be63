using System.Text.Unicode;
using Microsoft.Extensions.Hosting.Systemd;

namespace ConfUpdate.Server.Audit;

/// <summary>
/// Writes audit lines to standard error directly, one <c>write(2)</c> per line, formatted into a reused
/// buffer. Measured (issue 10): the console logger's path per request (formatting through the logging
/// pipeline, a queue, a wake-up of its writer thread, the write there) was the second-largest cost of a
/// HELLO after the thread-pool hop; this path costs one system call and allocates nothing. Lines keep the
/// console logger's shape (UTC timestamp and level; under systemd the journal's <c>&lt;N&gt;</c> priority prefix
/// instead), and each line is written whole, so lines from concurrent connections never interleave.
/// </summary>
internal sealed class AuditSink
{
    // "2026-12-02T00:42:19.840Z"
    private const int StampLength = 24;

    // Longer than any line: a 255-byte target name escaped as \xHH is 1020 bytes; reasons are short.
    private const int BufferSize = 4096;

    private readonly Lock _gate = new();
    private readonly byte[] _buffer = new byte[BufferSize];
    private readonly Stream _output;
    private readonly bool _journal;
    private readonly byte[] _stamp = new byte[StampLength];
    private long _stampMillisecond = -1;

    /// <summary>A sink that writes to <paramref name="output"/>; <paramref name="journal"/> selects the systemd priority-prefix form.</summary>
    public AuditSink(Stream output, bool journal)
    {
        _output = output;
        _journal = journal;
    }

    /// <summary>Standard error, in the journal's form when running as a systemd service.</summary>
    public static AuditSink StandardError() => new(Console.OpenStandardError(), SystemdHelpers.IsSystemdService());

    /// <summary>The UTC time to the millisecond, formatted once per millisecond (many lines share one).</summary>
    private int Timestamp(Span<byte> line)
    {
        DateTime now = DateTime.UtcNow;
        long millisecond = now.Ticks / TimeSpan.TicksPerMillisecond;
        if (millisecond != _stampMillisecond)
        {
            _ = Utf8.TryWrite(_stamp, $"{now:yyyy-MM-ddTHH:mm:ss.fff}Z", out _);
            _stampMillisecond = millisecond;
        }

        _stamp.CopyTo(line);
        return StampLength;
    }

    /// <summary>Writes one line: the prefix, then whatever <paramref name="format"/> writes, then a newline.</summary>
    /// <param name="warning">Warning level (denials, busy refusals) rather than information.</param>
    /// <param name="state">What <paramref name="format"/> writes (a tuple, so the lambda can be static and nothing is allocated).</param>
    /// <param name="format">Writes the message into the span and returns the bytes written, or -1 if it did not fit.</param>
    public void Write<TState>(bool warning, TState state, Func<TState, Span<byte>, int> format)
    {
        lock (_gate)
        {
            Span<byte> line = _buffer;
            int at;
            if (_journal)
            {
                // syslog priorities: 4 warning, 6 informational (what the console logger's systemd format writes).
                _ = Utf8.TryWrite(line, $"<{(warning ? 4 : 6)}>", out at);
            }
            else
            {
                at = Timestamp(line);
                _ = Utf8.TryWrite(line[at..], $" {(warning ? "warn" : "info")}: ", out int level);
                at += level;
            }

            int written = format(state, line[at..^1]);
            if (written < 0)
            {
                // Cannot happen with the fields AuditLog writes; say so rather than write a cut line.
                _ = Utf8.TryWrite(line[at..], $"audit event=overlong-line", out written);
            }

            at += written;
            line[at++] = (byte)'\n';
            try
            {
                _output.Write(line[..at]);
            }
            catch (IOException)
            {
                // Standard error is gone (the reader closed it): the request is served all the same.
            }
        }
    }
}
