namespace ConfUpdate.Harness.Environment;

/// <summary>Thread-safe, bounded capture of a process's output lines (stdout and stderr interleaved as they arrive).</summary>
internal sealed class OutputBuffer(int capacity)
{
    private readonly Lock _lock = new();
    private readonly List<string> _all = [];
    private readonly List<string> _stderr = [];

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
            return string.Join('\n', _stderr.Skip(Math.Max(0, _stderr.Count - lines)));
        }
    }

    private void Add(string line, bool isError)
    {
        lock (_lock)
        {
            Append(_all, line);
            if (isError)
            {
                Append(_stderr, line);
            }
        }
    }

    private void Append(List<string> list, string line)
    {
        // A runaway server must not exhaust the kit's memory: keep the newest lines.
        if (list.Count >= capacity)
        {
            list.RemoveRange(0, capacity / 4);
        }

        list.Add(line);
    }
}
