using System.Text.Json.Nodes;
using CliWrap.Buffered;
using ConfUpdate.Harness.Tests.Detection;

namespace ConfUpdate.Harness.Tests.Cli;

/// <summary>
/// <c>confkit stress</c> as a real process, as root, against real servers: a correct one passes with its
/// figures in report.json, and each fault meant for a stress check is caught by it.
/// </summary>
[TestFixture]
[NonParallelizable]
[Category("stress")]
public sealed class StressCliTests
{
    private string _reports = "";

    [SetUp]
    public void CreateReportDirectory() => _reports = Directory.CreateTempSubdirectory("confkit-stress-test-").FullName;

    [TearDown]
    public void RemoveReportDirectory() => Directory.Delete(_reports, recursive: true);

    [Test]
    [CancelAfter(240_000)]
    public async Task Stress_AgainstPythonExample_PassesAndWritesFiguresSeedAndRerunLine(CancellationToken cancellationToken)
    {
        BufferedCommandResult result = await Confkit.RunAsync(
            ["stress", "--server", PythonExample, "--crash", "5", "--fuzz", "3000", "--only", "crash,fuzz,hygiene", "--seed", "11", "--report-dir", _reports],
            cancellationToken);

        JsonNode report = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(_reports, "report.json"), cancellationToken))!;
        Assert.Multiple(() =>
        {
            Assert.That(result.ExitCode, Is.Zero, result.StandardOutput + result.StandardError);
            Assert.That(Confkit.LastLine(result), Is.EqualTo("3 passed, 0 failed, 0 skipped"));
            Assert.That(result.StandardOutput, Does.Contain("rerun: ").And.Contain("--seed 11"));
            Assert.That((int)report["seed"]!, Is.EqualTo(11));
            Assert.That(report["checks"]!.AsArray().Select(c => (string)c!["outcome"]!), Is.All.EqualTo("pass"));
            Assert.That((double)report["checks"]![1]!["figures"]!["datagrams"]!, Is.EqualTo(3000));
            Assert.That(File.Exists(Path.Combine(_reports, "summary.md")), Is.True);
        });
    }

    [Test]
    [CancelAfter(240_000)]
    public async Task StressCrash_AgainstServerThatSkipsRecovery_FailsOnTemporaryFilesAfterRestart(CancellationToken cancellationToken)
    {
        BufferedCommandResult result = await Confkit.RunAsync(
            ["stress", "--server", FaultRegistry.Command("no-temp-recovery"), "--only", "crash", "--crash", "12", "--seed", "3", "--report-dir", _reports],
            cancellationToken);

        Assert.Multiple(() =>
        {
            Assert.That(result.ExitCode, Is.EqualTo(1), result.StandardOutput + result.StandardError);
            Assert.That(result.StandardOutput, Does.Contain("FAIL  stress.crash").And.Contain("temporary files"));
        });
    }

    [TestCaseSource(typeof(FaultRegistry), nameof(FaultRegistry.StressCases))]
    [CancelAfter(240_000)]
    public async Task StressCheck_CatchesTheFaultMeantForIt(string fault, string check, CancellationToken cancellationToken)
    {
        BufferedCommandResult result = await Confkit.RunAsync(
            ["stress", "--server", FaultRegistry.Command(fault), "--only", check, "--attack-seconds", "6", "--seed", "5", "--report-dir", _reports],
            cancellationToken);

        Assert.Multiple(() =>
        {
            Assert.That(result.ExitCode, Is.EqualTo(1), result.StandardOutput + result.StandardError);
            Assert.That(result.StandardOutput, Does.Contain($"FAIL  stress.{check}"));
        });
    }

    private static string PythonExample =>
        $"{FaultRegistry.Python} {Path.Combine(Confkit.RepoRoot, "examples", "python-server", "confupdate_server.py")} --config {{config}}";
}
