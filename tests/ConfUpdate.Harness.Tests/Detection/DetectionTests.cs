using System.Globalization;
using System.Text;
using ConfUpdate.Harness.Running;

namespace ConfUpdate.Harness.Tests.Detection;

/// <summary>
/// The kit proves its power: each deliberately faulty server is flagged on the requirement it breaks,
/// and neither correct implementation is flagged at all (no false alarms).
/// </summary>
[TestFixture]
[NonParallelizable]
[Category("detection")]
public sealed class DetectionTests
{
    [TestCaseSource(typeof(FaultRegistry), nameof(FaultRegistry.Cases))]
    [CancelAfter(900_000)]
    public async Task FaultyServer_IsFlaggedOnTheRequirementItBreaks(string fault)
    {
        Fault expected = FaultRegistry.All.Single(f => f.Name == fault);

        DetectionResults results = await DetectionRun.Results;
        ServerRun run = results.Runs[fault];

        Assert.Multiple(() =>
        {
            Assert.That(run.NonConformant, Is.True, $"every MUST scenario passed against faulty server '{fault}' ({expected.Description})");
            Assert.That(run.FailedCiting(expected.Requirements), Is.Not.Empty,
                () => $"no failed scenario cites {string.Join(" or ", expected.Requirements)} for '{fault}' ({expected.Description}); " +
                      $"not passed: {Describe(run.NotPassed)}");
        });
    }

    [TestCase(DetectionRun.Reference)]
    [TestCase(DetectionRun.PythonExample)]
    [CancelAfter(900_000)]
    public async Task CorrectServer_IsConformantWithoutFalseAlarms(string server)
    {
        DetectionResults results = await DetectionRun.Results;
        ServerRun run = results.Runs[server];

        Assert.That(run.NotPassed, Is.Empty, () => $"false alarms against {server}: {Describe(run.NotPassed)}");
    }

    [Test]
    public void Registry_NamesExactlyTheLaunchersFaults()
    {
        var launcher = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo(FaultRegistry.Python, [FaultRegistry.Launcher, "--list"])
        {
            RedirectStandardOutput = true,
        })!;
        string listed = launcher.StandardOutput.ReadToEnd();
        launcher.WaitForExit(10_000);

        Assert.That(FaultRegistry.All.Select(f => f.Name).Order(StringComparer.Ordinal),
            Is.EqualTo(listed.Split('\n', StringSplitOptions.RemoveEmptyEntries).Order(StringComparer.Ordinal)));
        Assert.That(FaultRegistry.All.Where(f => f.Requirements.Count == 0 || f.Description.Length == 0), Is.Empty);
    }

    private static string Describe(IEnumerable<ScenarioResult> results)
    {
        var text = new StringBuilder();
        foreach (ScenarioResult result in results)
        {
            text.AppendLine().Append(CultureInfo.InvariantCulture, $"  {result.Outcome} {result.Scenario.Id} [{string.Join(", ", result.Scenario.Requirements)}]: {string.Join(" | ", result.Failures)}");
        }

        return text.Length == 0 ? "none" : text.ToString();
    }
}
