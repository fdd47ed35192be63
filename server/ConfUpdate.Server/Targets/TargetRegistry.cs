using ConfUpdate.Server.Configuration;

namespace ConfUpdate.Server.Targets;

/// <summary>
/// The configured targets by exact, case-sensitive name (SPEC TGT-1), each with its own lock so that
/// updates of one target are serialised and different targets proceed in parallel (SPEC DUR-4).
/// </summary>
internal sealed class TargetRegistry : IDisposable
{
    private readonly Dictionary<string, Entry> _targets;

    /// <summary>Builds the registry from the validated configuration.</summary>
    public TargetRegistry(IEnumerable<TargetConfig> targets)
    {
        // One DirectorySync per directory, shared by the targets in it (group commit, DUR-1 step 6).
        var directories = new Dictionary<string, DirectorySync>(StringComparer.Ordinal);
        _targets = targets.ToDictionary(
            t => t.Name,
            t =>
            {
                string directory = Path.GetDirectoryName(t.Path)!;
                if (!directories.TryGetValue(directory, out DirectorySync? sync))
                {
                    sync = new DirectorySync(directory);
                    directories.Add(directory, sync);
                }

                return new Entry(t, new SemaphoreSlim(1, 1), sync);
            },
            StringComparer.Ordinal);
    }

    /// <summary>Looks a name up; false for anything not configured, whatever it looks like.</summary>
    public bool TryGet(string name, out TargetConfig target, out SemaphoreSlim gate) => TryGet(name, out target, out gate, out _);

    /// <summary>Looks a name up, with the group-commit syncer of the target's directory.</summary>
    public bool TryGet(string name, out TargetConfig target, out SemaphoreSlim gate, out DirectorySync directory)
    {
        if (_targets.TryGetValue(name, out Entry? entry))
        {
            target = entry.Target;
            gate = entry.Gate;
            directory = entry.Directory;
            return true;
        }

        target = null!;
        gate = null!;
        directory = null!;
        return false;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (Entry entry in _targets.Values)
        {
            entry.Gate.Dispose();
        }
    }

    private sealed record Entry(TargetConfig Target, SemaphoreSlim Gate, DirectorySync Directory);
}
