using CliWrap;
using CliWrap.Buffered;

namespace ConfUpdate.Harness.Tests.Detection;

/// <summary>A fault names the seams of the Python example it replaces; a seam that is gone stops the launcher.</summary>
public sealed class FaultSeamTests
{
    [Test]
    [CancelAfter(60_000)]
    public async Task Check_AgainstTheExample_FindsEverySeam(CancellationToken cancellationToken)
    {
        BufferedCommandResult result = await Launcher("--check").ExecuteBufferedAsync(cancellationToken);

        Assert.That(result.ExitCode, Is.Zero, result.StandardError);
        Assert.That(result.StandardOutput, Does.Contain($"{FaultRegistry.All.Count} faults, every seam present"));
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task Launch_WhenTheExampleRenamedASeam_FailsLoudlyInsteadOfRunningACorrectServer(CancellationToken cancellationToken)
    {
        DirectoryInfo temp = Directory.CreateTempSubdirectory("confkit-seams-");
        try
        {
            // Arrange: a copy of the example in which install() has a new name.
            string example = Path.Combine(KitPathsRoot, "examples", "python-server", "confupdate_server.py");
            string renamed = Path.Combine(temp.FullName, "confupdate_server.py");
            string source = await File.ReadAllTextAsync(example, cancellationToken);
            Assert.That(source, Does.Contain("\ndef install("), "the example's install() is the seam this test renames");
            await File.WriteAllTextAsync(renamed, source.Replace("\ndef install(", "\ndef install_renamed(", StringComparison.Ordinal), cancellationToken);

            // Act
            BufferedCommandResult result = await Launcher("--fault", "write-in-place", "--config", "/nonexistent.json")
                .WithEnvironmentVariables(e => e.Set("CONFUPDATE_EXAMPLE", renamed))
                .ExecuteBufferedAsync(cancellationToken);

            // Assert
            Assert.That(result.ExitCode, Is.EqualTo(2));
            Assert.That(result.StandardError, Does.Contain("fault write-in-place: the example has no 'install'"));
        }
        finally
        {
            temp.Delete(recursive: true);
        }
    }

    private static string KitPathsRoot => Scenarios.KitPaths.SolutionRoot;

    private static Command Launcher(params string[] arguments) =>
        CliWrap.Cli.Wrap(FaultRegistry.Python).WithArguments([FaultRegistry.Launcher, .. arguments]).WithValidation(CommandResultValidation.None);
}
