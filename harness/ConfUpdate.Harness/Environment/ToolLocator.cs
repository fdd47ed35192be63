namespace ConfUpdate.Harness.Environment;

/// <summary>Finds programs on <c>PATH</c> (plus the standard system directories, which sudo's secure_path uses).</summary>
internal static class ToolLocator
{
    private static readonly string[] s_systemDirectories = ["/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin", "/bin"];

    /// <summary>The full path of <paramref name="name"/>, or <c>null</c> when no executable file of that name exists.</summary>
    public static string? Find(string name)
    {
        if (name.Contains('/', StringComparison.Ordinal))
        {
            return IsExecutableFile(name) ? name : null;
        }

        string path = System.Environment.GetEnvironmentVariable("PATH") ?? string.Empty;
        IEnumerable<string> directories = path.Split(':', StringSplitOptions.RemoveEmptyEntries).Concat(s_systemDirectories);
        foreach (string directory in directories)
        {
            string candidate = Path.Combine(directory, name);
            if (IsExecutableFile(candidate))
            {
                return candidate;
            }
        }

        return null;
    }

    private static bool IsExecutableFile(string path)
    {
        try
        {
            var info = new FileInfo(path);
            return info.Exists
                && (info.UnixFileMode & (UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute)) != 0;
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
}
