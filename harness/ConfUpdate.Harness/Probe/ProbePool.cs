using System.Collections.Concurrent;
using ConfUpdate.Harness.Environment;

namespace ConfUpdate.Harness.Probe;

/// <summary>Probes by account, started on first use: one process per identity for the whole run.</summary>
internal sealed class ProbePool(UserSwitch userSwitch, IReadOnlyList<string> probeCommand) : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, Lazy<ProbeClient>> _probes = new(StringComparer.Ordinal);

    /// <summary>The probe running as <paramref name="account"/>.</summary>
    public ProbeClient For(UnixAccount account) =>
        _probes.GetOrAdd(account.Name, _ => new Lazy<ProbeClient>(() => ProbeClient.Start(account, userSwitch, probeCommand))).Value;

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        foreach (Lazy<ProbeClient> probe in _probes.Values.Where(p => p.IsValueCreated))
        {
            await probe.Value.DisposeAsync().ConfigureAwait(false);
        }

        _probes.Clear();
    }
}
