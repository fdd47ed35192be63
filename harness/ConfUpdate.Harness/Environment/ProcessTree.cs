using System.Globalization;
using ConfUpdate.Native;

namespace ConfUpdate.Harness.Environment;

/// <summary>Finds and signals a process and its descendants through <c>/proc</c> and libc <c>kill</c>.</summary>
internal static class ProcessTree
{
    /// <summary>The process and all its live descendants, parents first.</summary>
    public static List<int> Collect(int rootPid)
    {
        var childrenOf = new Dictionary<int, List<int>>();
        foreach (string entry in SafeEnumerate("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(entry), NumberStyles.None, CultureInfo.InvariantCulture, out int pid))
            {
                continue;
            }

            int? parent = ParentOf(pid);
            if (parent is int ppid)
            {
                if (!childrenOf.TryGetValue(ppid, out List<int>? list))
                {
                    childrenOf[ppid] = list = [];
                }

                list.Add(pid);
            }
        }

        var result = new List<int> { rootPid };
        for (int i = 0; i < result.Count; i++)
        {
            if (childrenOf.TryGetValue(result[i], out List<int>? children))
            {
                result.AddRange(children.Where(c => !result.Contains(c)));
            }
        }

        return result;
    }

    /// <summary>
    /// SIGKILLs the process, its descendants and, when it leads its own process group, that group.
    /// Descendants are collected first: once the parent dies they are re-parented and can no longer be found.
    /// </summary>
    public static void KillTree(int rootPid)
    {
        List<int> tree = Collect(rootPid);
        bool groupLeader = Libc.GetPgid(rootPid) == rootPid;
        foreach (int pid in tree)
        {
            _ = Libc.Kill(pid, LinuxAbi.SigKill);
        }

        if (groupLeader)
        {
            // Negative pid: the whole process group, which also catches children that escaped the tree walk.
            _ = Libc.Kill(-rootPid, LinuxAbi.SigKill);
        }
    }

    /// <summary>Whether a process with this pid exists (and is not a zombie).</summary>
    public static bool IsAlive(int pid)
    {
        try
        {
            string stat = File.ReadAllText($"/proc/{pid}/stat");
            int close = stat.LastIndexOf(')');
            return close > 0 && close + 2 < stat.Length && stat[close + 2] != 'Z';
        }
        catch (IOException)
        {
            return false;
        }
        catch (UnauthorizedAccessException)
        {
            return false;
        }
    }

    private static int? ParentOf(int pid)
    {
        try
        {
            // /proc/PID/stat: "pid (comm) state ppid ..."; comm may hold spaces and parentheses, so parse after the last ')'.
            string stat = File.ReadAllText($"/proc/{pid}/stat");
            int close = stat.LastIndexOf(')');
            if (close < 0)
            {
                return null;
            }

            string[] fields = stat[(close + 2)..].Split(' ');
            return fields.Length > 1 && int.TryParse(fields[1], NumberStyles.None, CultureInfo.InvariantCulture, out int ppid) ? ppid : null;
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static string[] SafeEnumerate(string directory)
    {
        try
        {
            return Directory.GetDirectories(directory);
        }
        catch (IOException)
        {
            return [];
        }
    }
}
