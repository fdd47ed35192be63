using System.Buffers;
using ConfUpdate.Native;
using ConfUpdate.Server.Audit;
using ConfUpdate.Server.Configuration;

namespace ConfUpdate.Server.Targets;

/// <summary>
/// SPEC DUR-6: at start, before any connection is accepted, removes the temporary files a crashed or
/// killed predecessor left in the targets' directories. Only regular files whose names have exactly
/// the DUR-6 form for a target of that directory are removed, with <c>unlinkat</c> relative to the
/// directory opened as TGT-6 says; a link, a directory or any other name is left alone. Each removal is
/// audited.
/// </summary>
internal static class TempFileRecovery
{
    private static readonly SearchValues<char> s_lowerHex = SearchValues.Create("0123456789abcdef");

    /// <summary>Examines every target directory once; returns how many files were removed.</summary>
    public static int Run(IEnumerable<TargetConfig> targets, uint serverUid, AuditLog audit, Action<string, string> reportProblem)
    {
        ArgumentNullException.ThrowIfNull(targets);
        ArgumentNullException.ThrowIfNull(audit);
        ArgumentNullException.ThrowIfNull(reportProblem);
        int removed = 0;
        foreach (IGrouping<string, TargetConfig> group in targets.GroupBy(t => Path.GetDirectoryName(t.Path)!, StringComparer.Ordinal))
        {
            try
            {
                using TargetDirectory directory = TargetDirectory.Open(group.Key, serverUid);
                removed += Sweep(directory, [.. group], audit);
            }
            catch (Exception ex) when (ex is IOException or UnsafeTargetException or UnauthorizedAccessException)
            {
                // DUR-6: a directory that cannot be examined is logged and does not stop the server.
                reportProblem(group.Key, ex.Message);
            }
        }

        return removed;
    }

    /// <summary>Which target, if any, <paramref name="entry"/> is a DUR-6 temporary name of.</summary>
    internal static TargetConfig? OwnerOf(string entry, IReadOnlyList<TargetConfig> targets)
    {
        foreach (TargetConfig target in targets)
        {
            string prefix = "." + TargetInstaller.TempStem(Path.GetFileName(target.Path)) + ".";
            int expectedLength = prefix.Length + TargetInstaller.RandomHexDigits + TargetInstaller.TempSuffix.Length;
            if (entry.Length == expectedLength
                && entry.StartsWith(prefix, StringComparison.Ordinal)
                && entry.EndsWith(TargetInstaller.TempSuffix, StringComparison.Ordinal)
                && entry.AsSpan(prefix.Length, TargetInstaller.RandomHexDigits).ContainsAnyExcept(s_lowerHex) is false)
            {
                return target;
            }
        }

        return null;
    }

    private static int Sweep(TargetDirectory directory, IReadOnlyList<TargetConfig> targets, AuditLog audit)
    {
        int removed = 0;
        // Listed through the descriptor's /proc link: exactly the directory that was checked, whatever the path names now.
        string listing = $"/proc/self/fd/{directory.Descriptor}";
        foreach (string full in Directory.EnumerateFileSystemEntries(listing))
        {
            string entry = Path.GetFileName(full);
            if (OwnerOf(entry, targets) is not { } target)
            {
                continue;
            }

            FileStatus status = FileStatus.OfEntryNoFollow(directory.Descriptor, entry);
            if (status.Kind != FileKind.Regular)
            {
                continue;
            }

            // unlinkat never follows a link: at worst a link swapped in since the fstatat is what goes.
            if (Libc.UnlinkAt(directory.Descriptor, entry, 0) == 0)
            {
                audit.Recover(target.Name, entry, status.Size);
                removed++;
            }
        }

        return removed;
    }
}
