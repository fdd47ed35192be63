namespace ConfUpdate.Bench;

/// <summary>
/// Where the build put what the bench runs as processes: the reference server and the CLI (a published
/// NativeAOT executable when one is given, else dotnet and the Release build's dll), and the Python
/// example. Found by walking up from the bench's own directory to ConformanceKit.sln.
/// </summary>
/// <param name="RepoRoot">The directory holding ConformanceKit.sln.</param>
/// <param name="ServerCommand">How to start the reference server (before <c>--config</c>).</param>
/// <param name="ServerIsNative">Whether <paramref name="ServerCommand"/> is a published executable rather than dotnet and a dll.</param>
/// <param name="CliCommand">How to start <c>confupdate</c> (before its arguments).</param>
/// <param name="PythonServer">The Python example server script.</param>
/// <param name="Python">The system Python interpreter.</param>
internal sealed record BuildOutputs(
    string RepoRoot, IReadOnlyList<string> ServerCommand, bool ServerIsNative, IReadOnlyList<string> CliCommand, string PythonServer, string Python)
{
    private const string Configuration = "Release";
    private const string Framework = "net10.0";

    /// <summary>Locates everything, or says exactly what is missing and how to build it.</summary>
    /// <param name="serverExecutable">A published server executable, or null for the dll.</param>
    /// <param name="cliExecutable">A published CLI executable, or null for the dll.</param>
    /// <exception cref="BenchSetupException">No ConformanceKit.sln above the bench, or an output is missing.</exception>
    public static BuildOutputs Locate(string? serverExecutable, string? cliExecutable)
    {
        string root = FindRepoRoot(AppContext.BaseDirectory);
        string serverDll = Path.Combine(root, "server", "ConfUpdate.Server", "bin", Configuration, Framework, "confupdate-server.dll");
        string cliDll = Path.Combine(root, "client", "ConfUpdate.Cli", "bin", Configuration, Framework, "confupdate.dll");
        string python = "/usr/bin/python3";
        string pythonServer = Path.Combine(root, "examples", "python-server", "confupdate_server.py");
        string[] needed = [serverExecutable ?? serverDll, cliExecutable ?? cliDll, python, pythonServer];
        string[] missing = [.. needed.Where(p => !File.Exists(p))];
        if (missing.Length > 0)
        {
            throw new BenchSetupException(
                $"not built: {string.Join(", ", missing)} missing; build first: `dotnet build {Path.Combine(root, "ConformanceKit.sln")} -c {Configuration}` "
                + "(or run bench/run-bench.sh, which builds and runs).");
        }

        string dotnet = FindDotnet();
        return new BuildOutputs(
            root,
            serverExecutable is null ? [dotnet, serverDll] : [Path.GetFullPath(serverExecutable)],
            serverExecutable is not null,
            cliExecutable is null ? [dotnet, cliDll] : [Path.GetFullPath(cliExecutable)],
            pythonServer,
            python);
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
