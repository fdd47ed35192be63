namespace ConfUpdate.Harness.Environment;

/// <summary>Finds the <c>dotnet</c> host that runs the kit's framework-dependent programs as other accounts.</summary>
public static class DotnetHost
{
    /// <summary>
    /// The dotnet host, absolute and with links resolved, so that it works under sudo's secure_path and setpriv
    /// alike: the running process when it is the host, else <c>DOTNET_ROOT</c>, <c>PATH</c> and the usual install
    /// directories, in that order.
    /// </summary>
    /// <exception cref="KitEnvironmentException">No dotnet host is installed where it is looked for.</exception>
    public static string Find()
    {
        string? self = System.Environment.ProcessPath;
        if (self is not null && Path.GetFileName(self) == "dotnet")
        {
            return Resolve(self);
        }

        string? root = System.Environment.GetEnvironmentVariable("DOTNET_ROOT");
        IEnumerable<string> candidates = (System.Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(d => Path.Combine(d, "dotnet"))
            .Prepend(root is null ? "" : Path.Combine(root, "dotnet"))
            .Append("/usr/bin/dotnet")
            .Append("/usr/share/dotnet/dotnet")
            .Append("/usr/lib/dotnet/dotnet");
        string found = candidates.FirstOrDefault(File.Exists)
            ?? throw new KitEnvironmentException("cannot find the dotnet host (on PATH, in DOTNET_ROOT, /usr/bin or /usr/share/dotnet); install the .NET 10 runtime.");
        return Resolve(found);
    }

    // Other accounts need the real host path: a link under a 0700 directory would not do.
    private static string Resolve(string path) => new FileInfo(path).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? path;
}
