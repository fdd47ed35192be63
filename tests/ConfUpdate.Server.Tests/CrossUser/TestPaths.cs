using ConfUpdate.Harness.Environment;

namespace ConfUpdate.Server.Tests.CrossUser;

/// <summary>Where the build put the real server and CLI (same configuration as this test assembly).</summary>
internal static class TestPaths
{
    public static string RepoRoot { get; } = FindRepoRoot();

    /// <summary>Debug or Release, read from this assembly's output path (…/bin/Release/net10.0).</summary>
    public static string Configuration { get; } =
        new DirectoryInfo(TestContext.CurrentContext.TestDirectory).Parent?.Name ?? "Debug";

    public static string ServerOutput => Path.Combine(RepoRoot, "server", "ConfUpdate.Server", "bin", Configuration, "net10.0");

    public static string CliOutput => Path.Combine(RepoRoot, "client", "ConfUpdate.Cli", "bin", Configuration, "net10.0");

    /// <summary>The dotnet host: absolute, so that it works under sudo's secure_path and setpriv alike.</summary>
    public static string Dotnet { get; } = DotnetHost.Find();

    private static string FindRepoRoot()
    {
        for (DirectoryInfo? dir = new(TestContext.CurrentContext.TestDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "ConformanceKit.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"No ConformanceKit.sln above {TestContext.CurrentContext.TestDirectory}.");
    }
}
