namespace ConfUpdate.Server.Connections;

/// <summary>
/// Caps the open connections of allowed peers in total and per uid (SPEC CONN-3). Thread-safe;
/// every successful <see cref="TryAcquire"/> is paired with one <see cref="Release"/>.
/// </summary>
internal sealed class ConnectionLimiter(int maxTotal, int maxPerUid)
{
    private readonly Lock _lock = new();
    private readonly Dictionary<uint, int> _perUid = [];
    private int _total;

    /// <summary>Open connections counted now.</summary>
    public int Total
    {
        get
        {
            lock (_lock)
            {
                return _total;
            }
        }
    }

    /// <summary>Takes a place for <paramref name="uid"/>; false with the reason when a cap is reached.</summary>
    public bool TryAcquire(uint uid, out string reason)
    {
        lock (_lock)
        {
            if (_total >= maxTotal)
            {
                reason = $"total-cap={maxTotal}";
                return false;
            }

            int mine = _perUid.GetValueOrDefault(uid);
            if (mine >= maxPerUid)
            {
                reason = $"per-uid-cap={maxPerUid}";
                return false;
            }

            _perUid[uid] = mine + 1;
            _total++;
            reason = string.Empty;
            return true;
        }
    }

    /// <summary>Gives back the place taken for <paramref name="uid"/>.</summary>
    public void Release(uint uid)
    {
        lock (_lock)
        {
            int mine = _perUid.GetValueOrDefault(uid);
            if (mine <= 1)
            {
                _perUid.Remove(uid);
            }
            else
            {
                _perUid[uid] = mine - 1;
            }

            _total = Math.Max(0, _total - 1);
        }
    }
}
