namespace ConfUpdate.Harness.Cli;

/// <summary>
/// Where the kit finds its scenarios, SPEC.md, the probe and the reference client. Two layouts:
/// <list type="bullet">
/// <item>an installed kit (the dotnet tool package, or a <c>dotnet publish</c> output) carries them in a
/// <c>kit/</c> directory beside <c>confkit.dll</c> (<see cref="BundleDirectoryName"/>); it never looks
/// elsewhere, so a copied or installed kit works from any directory;</item>
/// <item>a kit built in a checkout finds the solution root, the first directory above the executable
/// holding <c>ConformanceKit.sln</c>, and the build outputs there, in the executable's own
/// configuration (Release or Debug) first, then the other.</item>
/// </list>
/// </summary>
internal sealed class KitPaths
{
    public const string SolutionFile = "ConformanceKit.sln";

    /// <summary>The directory beside confkit.dll of an installed kit (laid out by the CLI project's KitBundle target).</summary>
    public const string BundleDirectoryName = "kit";

    private const string ProbeFile = "confkit-probe.dll";
    private const string ClientFile = "confupdate.dll";

    private KitPaths(string? bundle, string? root, string configuration)
    {
        Bundle = bundle;
        Root = root;
        Configuration = configuration;
    }

    /// <summary>The installed kit's resource directory, or null when the kit runs from a checkout's build output.</summary>
    public string? Bundle { get; }

    /// <summary>The solution root, or null when the kit is installed or runs outside a checkout.</summary>
    public string? Root { get; }

    /// <summary>The configuration the kit itself was built in.</summary>
    public string Configuration { get; }

    /// <summary>The kit's own assembly (for rerun hints).</summary>
    public static string KitAssembly => Path.Combine(AppContext.BaseDirectory, "confkit.dll");

    /// <summary>How a user runs this kit again: <c>confkit</c> when installed, else <c>dotnet …/confkit.dll</c>.</summary>
    public IReadOnlyList<string> SelfCommand => Bundle is null ? ["dotnet", KitAssembly] : ["confkit"];

    public static KitPaths Discover()
    {
        string baseDirectory = AppContext.BaseDirectory.TrimEnd('/');
        string bundle = Path.Combine(baseDirectory, BundleDirectoryName);
        if (File.Exists(Path.Combine(bundle, "scenarios", "schema", "scenario.schema.json")))
        {
            return new KitPaths(bundle, root: null, "Release");
        }

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
        return new KitPaths(bundle: null, root, configuration);
    }

    public string RequireRoot(string what) => Root
        ?? throw new UsageException($"cannot find {SolutionFile} above {AppContext.BaseDirectory} to locate {what}, "
            + $"and this kit has no {BundleDirectoryName}/ directory beside it (an installed kit does); pass it explicitly.");

    public string DefaultScenarios => Bundle is { } bundle
        ? Path.Combine(bundle, "scenarios")
        : Path.Combine(RequireRoot("the scenarios (--scenarios DIR)"), "scenarios");

    public string? DefaultSpec => Bundle is { } bundle
        ? Path.Combine(bundle, "SPEC.md")
        : Root is null ? null : Path.Combine(Root, "docs", "SPEC.md");

    public string DefaultReportDirectory => Path.Combine(Root ?? Directory.GetCurrentDirectory(), "artifacts", "kit-report");

    /// <summary>The probe's directory (staged for the other accounts before use).</summary>
    public string ProbeDirectory() => Bundled("probe", ProbeFile, "the probe")
        ?? RequireOutput("harness/ConfUpdate.Probe", ProbeFile, "the probe (harness/ConfUpdate.Probe)");

    /// <summary>The reference client CLI's directory (the client scenarios run it as each role).</summary>
    public string ClientDirectory() => Bundled("client", ClientFile, "the reference client CLI")
        ?? RequireOutput("client/ConfUpdate.Cli", ClientFile, "the reference client CLI (client/ConfUpdate.Cli)");

    /// <summary>The reference server's build output, the default server under test; an installed kit has none.</summary>
    public string ReferenceServerDirectory() => Bundle is null
        ? RequireOutput("server/ConfUpdate.Server", "confupdate-server.dll", "the reference server (server/ConfUpdate.Server); or pass --server")
        : throw new UsageException(
            "an installed kit does not include a server to test: pass --server \"COMMAND --config {config}\" (the command that starts your server; {config} is the configuration file the kit writes).");

    /// <summary>The build output directory of a project under the root, or null when not built in either configuration (or installed).</summary>
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

    private string? Bundled(string name, string assemblyFileName, string what)
    {
        if (Bundle is null)
        {
            return null;
        }

        string directory = Path.Combine(Bundle, name);
        return File.Exists(Path.Combine(directory, assemblyFileName))
            ? directory
            : throw new UsageException($"{what} is missing from the installed kit: no {Path.Combine(directory, assemblyFileName)}; reinstall the kit.");
    }
}
