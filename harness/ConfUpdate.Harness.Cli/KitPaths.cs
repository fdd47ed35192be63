namespace ConfUpdate.Harness.Cli;

/// <summary>
/// Where the kit finds its checkout and build outputs: the solution root is the first directory above the
/// executable holding <c>ConformanceKit.sln</c>; outputs are looked up in the executable's own
/// configuration (Release or Debug) first, then the other.
/// </summary>
internal sealed class KitPaths
{
    public const string SolutionFile = "ConformanceKit.sln";

    private KitPaths(string? root, string configuration)
    {
        Root = root;
        Configuration = configuration;
    }

    /// <summary>The solution root, or null when the kit runs outside a checkout.</summary>
    public string? Root { get; }

    /// <summary>The configuration the kit itself was built in.</summary>
    public string Configuration { get; }

    /// <summary>The kit's own assembly (for rerun hints).</summary>
    public static string KitAssembly => Path.Combine(AppContext.BaseDirectory, "confkit.dll");

    public static KitPaths Discover()
    {
        string baseDirectory = AppContext.BaseDirectory.TrimEnd('/');
        string? root = null;
        for (DirectoryInfo? dir = new(baseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, SolutionFile)))
            {
                root = dir.FullName;
                break;
            }
        }

        // …/bin/Release/net10.0/ → Release.
        string? parent = new DirectoryInfo(baseDirectory).Parent?.Name;
        string configuration = parent is "Debug" or "Release" ? parent : "Release";
        return new KitPaths(root, configuration);
    }

    public string RequireRoot(string what) => Root
        ?? throw new UsageException($"cannot find {SolutionFile} above {AppContext.BaseDirectory} to locate {what}; pass it explicitly.");

    public string DefaultScenarios => Path.Combine(RequireRoot("the scenarios (--scenarios DIR)"), "scenarios");

    public string? DefaultSpec => Root is null ? null : Path.Combine(Root, "docs", "SPEC.md");

    public string DefaultReportDirectory => Path.Combine(Root ?? Directory.GetCurrentDirectory(), "artifacts", "kit-report");

    /// <summary>The build output directory of a project under the root, or null when not built in either configuration.</summary>
    public string? Output(string projectDirectory, string assemblyFileName)
    {
        if (Root is null)
        {
            return null;
        }

        foreach (string configuration in new[] { Configuration, Configuration == "Release" ? "Debug" : "Release" })
        {
            string directory = Path.Combine(Root, projectDirectory, "bin", configuration, "net10.0");
            if (File.Exists(Path.Combine(directory, assemblyFileName)))
            {
                return directory;
            }
        }

        return null;
    }

    /// <summary>Like <see cref="Output"/>, but a missing build is an error that says how to build.</summary>
    public string RequireOutput(string projectDirectory, string assemblyFileName, string what) =>
        Output(projectDirectory, assemblyFileName) ?? throw new UsageException(
            $"{what} is not built: no {projectDirectory}/bin/{Configuration}/net10.0/{assemblyFileName} under {Root ?? "(no checkout found)"}; "
            + $"build it with `dotnet build {SolutionFile} -c {Configuration}` (or use ./run-kit.sh, which builds first).");
}
