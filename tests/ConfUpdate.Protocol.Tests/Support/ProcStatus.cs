namespace ConfUpdate.Protocol.Tests.Support;

/// <summary>
/// This process's identity as <c>/proc/self/status</c> reports it: an independent source to compare
/// the kernel's socket answers (SO_PEERCRED, SO_PEERGROUPS) with.
/// </summary>
internal static class ProcStatus
{
    /// <summary>The effective uid (second column of the <c>Uid:</c> line).</summary>
    public static uint EffectiveUid() => uint.Parse(Field("Uid")[1]);

    /// <summary>The effective gid (second column of the <c>Gid:</c> line).</summary>
    public static uint EffectiveGid() => uint.Parse(Field("Gid")[1]);

    /// <summary>The supplementary groups (the <c>Groups:</c> line, possibly empty).</summary>
    public static IReadOnlyList<uint> SupplementaryGroups() => Field("Groups").Select(uint.Parse).ToList();

    private static string[] Field(string name)
    {
        string prefix = name + ":";
        string line = File.ReadLines("/proc/self/status").Single(l => l.StartsWith(prefix, StringComparison.Ordinal));
        return line[prefix.Length..].Split((char[])['\t', ' '], StringSplitOptions.RemoveEmptyEntries);
    }
}
