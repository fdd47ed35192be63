using ConfUpdate.Harness.Environment;

namespace ConfUpdate.Harness.Tests.Scenarios;

/// <summary>Where things are in the checkout, found from the test assembly's location.</summary>
internal static class KitPaths
{
    public static string SolutionRoot { get; } = FindRoot();

    public static string ScenariosDirectory => Path.Combine(SolutionRoot, "scenarios");

    public static string SpecPath => Path.Combine(SolutionRoot, "docs", "SPEC.md");

    /// <summary>Debug or Release: the configuration this test assembly was built in.</summary>
    public static string Configuration { get; } =
        AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Release" : "Debug";

    /// <summary>The build output directory of a project (<c>server/ConfUpdate.Server</c>), or a clear failure.</summary>
    public static string Output(string projectDirectory, string entryAssembly)
    {
        string directory = Path.Combine(SolutionRoot, projectDirectory, "bin", Configuration, "net10.0");
        if (!File.Exists(Path.Combine(directory, entryAssembly)))
        {
            Assert.Fail($"{entryAssembly} is not built: expected it in {directory}. Build it first: " +
                $"dotnet build {projectDirectory} -c {Configuration} (or build the solution).");
        }

        return directory;
    }

    public static string Dotnet { get; } = DotnetHost.Find();

    private static string FindRoot()
    {
        for (DirectoryInfo? dir = new(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "ConformanceKit.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"No ConformanceKit.sln above {AppContext.BaseDirectory}.");
    }
}
