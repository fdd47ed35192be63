namespace ConfUpdate.Protocol.Tests.Support;

/// <summary>Finds files of this repository relative to the test assembly, wherever the build put it.</summary>
internal static class RepositoryPaths
{
    private const string SolutionFile = "ConformanceKit.sln";

    /// <summary>The directory that holds ConformanceKit.sln, found by walking up from the test assembly.</summary>
    public static string Root()
    {
        for (DirectoryInfo? dir = new(TestContext.CurrentContext.TestDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, SolutionFile)))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException(
            $"No {SolutionFile} above the test directory {TestContext.CurrentContext.TestDirectory}.");
    }

    public static string Spec() => Path.Combine(Root(), "docs", "SPEC.md");
}
