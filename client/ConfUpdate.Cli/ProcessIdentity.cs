namespace ConfUpdate.Cli;

/// <summary>Who this process is, for messages (the server learns it from the kernel, SPEC AUTH-1).</summary>
internal static class ProcessIdentity
{
    /// <summary>The effective uid from /proc/self/status ("Uid: real effective saved fs"), or "?" if unreadable.</summary>
    public static string EffectiveUid()
    {
        try
        {
            foreach (string line in File.ReadLines("/proc/self/status"))
            {
                if (line.StartsWith("Uid:", StringComparison.Ordinal))
                {
                    string[] fields = line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
                    return fields.Length > 2 ? fields[2] : "?";
                }
            }
        }
        catch (IOException)
        {
        }

        return "?";
    }
}
