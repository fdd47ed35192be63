using CliWrap;
using CliWrap.Buffered;
using ConfUpdate.Harness.Environment;

namespace ConfUpdate.Harness.Tests.Cli;

/// <summary>Runs the built <c>confkit</c> as a real process (same configuration as this test assembly).</summary>
internal static class Confkit
{
    public static string RepoRoot { get; } = FindRoot();

    public static string Configuration { get; } =
        new DirectoryInfo(TestContext.CurrentContext.TestDirectory).Parent?.Name ?? "Debug";

    public static string OutputDirectory => Path.Combine(RepoRoot, "harness", "ConfUpdate.Harness.Cli", "bin", Configuration, "net10.0");

    public static string Assembly => Path.Combine(OutputDirectory, "confkit.dll");

    /// <summary>The dotnet host, absolute with links resolved (other accounts and sudo's secure_path need it).</summary>
    public static string Dotnet { get; } = DotnetHost.Find();

    public static Task<BufferedCommandResult> RunAsync(IEnumerable<string> arguments, CancellationToken cancellationToken) =>
        CliWrap.Cli.Wrap(Dotnet)
            .WithArguments([Assembly, .. arguments])
            .WithEnvironmentVariables(env => env.Set("GITHUB_STEP_SUMMARY", null).Set("CONFKIT_RERUN_PREFIX", null).Set("NO_COLOR", "1"))
            .WithValidation(CommandResultValidation.None)
            .ExecuteBufferedAsync(cancellationToken);

    /// <summary>The last non-empty line of standard output.</summary>
    public static string LastLine(BufferedCommandResult result) =>
        result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault() ?? "";

    private static string FindRoot()
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
