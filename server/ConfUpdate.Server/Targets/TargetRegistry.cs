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
        _targets = targets.ToDictionary(t => t.Name, t => new Entry(t, new SemaphoreSlim(1, 1)), StringComparer.Ordinal);
    }

    /// <summary>Looks a name up; false for anything not configured, whatever it looks like.</summary>
    public bool TryGet(string name, out TargetConfig target, out SemaphoreSlim gate)
    {
        if (_targets.TryGetValue(name, out Entry? entry))
        {
            target = entry.Target;
            gate = entry.Gate;
            return true;
        }

        target = null!;
        gate = null!;
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

    private sealed record Entry(TargetConfig Target, SemaphoreSlim Gate);
}
