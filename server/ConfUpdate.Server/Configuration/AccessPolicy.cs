namespace ConfUpdate.Server.Configuration;

/// <summary>
/// Who may use the server (SPEC AUTH-3, AUTH-5): pure logic over the ids the kernel reports for a peer.
/// Names were resolved to ids once at start; nothing here touches the user database.
/// </summary>
internal sealed class AccessPolicy
{
    /// <summary>uid 0: root. Admitted only when listed explicitly (SPEC AUTH-5).</summary>
    public const uint RootId = 0;

    /// <summary>
    /// The kernel's overflow uid/gid (<c>/proc/sys/kernel/overflowuid</c>, default 65534): an id
    /// from another user namespace that does not map into ours. It names nobody in particular, so
    /// group membership never admits it and gid 65534 never admits anybody (SPEC AUTH-5).
    /// </summary>
    public const uint OverflowId = 65534;

    private readonly HashSet<uint> _uids;
    private readonly HashSet<uint> _gids;

    /// <summary>Creates a policy from resolved allowed uids (explicit ids and users' uids) and allowed gids.</summary>
    public AccessPolicy(IEnumerable<uint> allowedUids, IEnumerable<uint> allowedGids)
    {
        _uids = [.. allowedUids];
        // gid 65534 never admits anybody: drop it so it cannot match by accident.
        _gids = [.. allowedGids.Where(gid => gid != OverflowId)];
    }

    /// <summary>The allowed uids.</summary>
    public IReadOnlySet<uint> AllowedUids => _uids;

    /// <summary>The allowed gids (without the overflow gid).</summary>
    public IReadOnlySet<uint> AllowedGids => _gids;

    /// <summary>Whether supplementary groups could change the decision for this uid, i.e. whether reading them is worth it.</summary>
    public bool GroupsCanAdmit(uint uid) => _gids.Count > 0 && uid != RootId && uid != OverflowId;

    /// <summary>
    /// The decision for one peer. <paramref name="supplementaryGroups"/> is what <c>SO_PEERGROUPS</c>
    /// returned, or null when it failed (then no access is granted through supplementary groups).
    /// </summary>
    public bool IsAllowed(uint uid, uint gid, IReadOnlyList<uint>? supplementaryGroups)
    {
        if (_uids.Contains(uid))
        {
            return true;
        }

        // Root and the overflow uid are admitted only by being listed, never through a group.
        if (!GroupsCanAdmit(uid))
        {
            return false;
        }

        if (_gids.Contains(gid))
        {
            return true;
        }

        return supplementaryGroups is not null && supplementaryGroups.Any(_gids.Contains);
    }
}
