namespace ConfUpdate.Bench;

/// <summary>
/// Where the Release build put what the bench runs as processes: the reference server, the CLI, and the
/// Python example; plus the dotnet host. Found by walking up from the bench's own directory to ConformanceKit.sln.
/// </summary>
/// <param name="RepoRoot">The directory holding ConformanceKit.sln.</param>
/// <param name="ServerDll">The reference server's <c>confupdate-server.dll</c>.</param>
/// <param name="CliDirectory">The CLI's build output directory (staged for www-data).</param>
/// <param name="PythonServer">The Python example server script.</param>
/// <param name="Python">The system Python interpreter.</param>
/// <param name="Dotnet">The dotnet host, symlinks resolved (other accounts run it by its real path).</param>
internal sealed record BuildOutputs(string RepoRoot, string ServerDll, string CliDirectory, string PythonServer, string Python, string Dotnet)
{
    private const string Configuration = "Release";
    private const string Framework = "net10.0";

    /// <summary>The CLI's main assembly inside <see cref="CliDirectory"/>.</summary>
    public const string CliDllName = "confupdate.dll";

    /// <summary>Locates everything, or says exactly what is missing and how to build it.</summary>
    /// <exception cref="BenchSetupException">No ConformanceKit.sln above the bench, or an output is missing.</exception>
    public static BuildOutputs Locate()
    {
        string root = FindRepoRoot(AppContext.BaseDirectory);
        string server = Path.Combine(root, "server", "ConfUpdate.Server", "bin", Configuration, Framework, "confupdate-server.dll");
        string cliDirectory = Path.Combine(root, "client", "ConfUpdate.Cli", "bin", Configuration, Framework);
        string python = "/usr/bin/python3";
        string pythonServer = Path.Combine(root, "examples", "python-server", "confupdate_server.py");
        string[] missing = [.. new[] { server, Path.Combine(cliDirectory, CliDllName), python, pythonServer }.Where(p => !File.Exists(p))];
        if (missing.Length > 0)
        {
            throw new BenchSetupException(
                $"not built: {string.Join(", ", missing)} missing; build first: `dotnet build {Path.Combine(root, "ConformanceKit.sln")} -c {Configuration}` "
                + "(or run bench/run-bench.sh, which builds and runs).");
        }

        return new BuildOutputs(root, server, cliDirectory, pythonServer, python, FindDotnet());
    }

    private static string FindRepoRoot(string start)
    {
        for (DirectoryInfo? directory = new(start); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "ConformanceKit.sln")))
            {
                return directory.FullName;
            }
        }

        throw new BenchSetupException(
            $"no ConformanceKit.sln in {start} or above; run the bench from its build output inside the checkout "
            + "(bench/ConfUpdate.Bench/bin/Release/net10.0/confupdate-bench.dll), after building the solution.");
    }

    private static string FindDotnet()
    {
        // Started as `dotnet confupdate-bench.dll`, the host is this very process.
        string? self = Environment.ProcessPath;
        string? root = Environment.GetEnvironmentVariable("DOTNET_ROOT");
        IEnumerable<string> candidates = (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(d => Path.Combine(d, "dotnet"))
            .Prepend(root is null ? "" : Path.Combine(root, "dotnet"))
            .Prepend(self is not null && Path.GetFileName(self) == "dotnet" ? self : "")
            .Append("/usr/bin/dotnet")
            .Append("/usr/share/dotnet/dotnet");
        string found = candidates.FirstOrDefault(File.Exists)
            ?? throw new BenchSetupException("dotnet not found (this process, DOTNET_ROOT, PATH, /usr/bin, /usr/share/dotnet); install the .NET 10 SDK.");
        return new FileInfo(found).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? found;
    }
}
