using System.Diagnostics;

namespace ConfUpdate.Harness.Environment;

/// <summary>
/// Thread-safe, bounded capture of a process's output lines (stdout and stderr interleaved as they arrive);
/// each stderr line keeps the <see cref="Stopwatch"/> timestamp it arrived at, so that a scenario's own lines can be cut out.
/// </summary>
internal sealed class OutputBuffer(int capacity)
{
    private readonly Lock _lock = new();
    private readonly List<string> _all = [];
    private readonly List<(long Timestamp, string Line)> _stderr = [];

    public void AddStdout(string line) => Add(line, isError: false);

    public void AddStderr(string line) => Add(line, isError: true);

    public IReadOnlyList<string> Snapshot()
    {
        lock (_lock)
        {
            return [.. _all];
        }
    }

    public string StderrTail(int lines)
    {
        lock (_lock)
        {
            return string.Join('\n', _stderr.Skip(Math.Max(0, _stderr.Count - lines)).Select(e => e.Line));
        }
    }

    /// <summary>The last <paramref name="lines"/> stderr lines that arrived at or after <paramref name="since"/> and that <paramref name="keep"/> accepts.</summary>
    public string StderrTail(int lines, long since, Func<string, bool> keep)
    {
        lock (_lock)
        {
            return string.Join('\n', _stderr.Where(e => e.Timestamp >= since && keep(e.Line)).Select(e => e.Line).TakeLast(lines));
        }
    }

    private void Add(string line, bool isError)
    {
        lock (_lock)
        {
            Append(_all, line);
            if (isError)
            {
                Append(_stderr, (Stopwatch.GetTimestamp(), line));
            }
        }
    }

    private void Append<T>(List<T> list, T line)
    {
        // A runaway server must not exhaust the kit's memory: keep the newest lines.
        if (list.Count >= capacity)
        {
            list.RemoveRange(0, capacity / 4);
        }

        list.Add(line);
    }
}
