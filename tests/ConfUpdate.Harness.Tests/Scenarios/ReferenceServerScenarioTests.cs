using System.Text;
using ConfUpdate.Harness.Running;

namespace ConfUpdate.Harness.Tests.Scenarios;

/// <summary>Every scenario of <c>scenarios/</c> is one test case against the reference server.</summary>
[TestFixture]
[Category("scenarios")]
public sealed class ReferenceServerScenarioTests
{
    [TestCaseSource(typeof(ScenarioCatalog), nameof(ScenarioCatalog.Cases))]
    [CancelAfter(180_000)]
    public async Task Scenario_PassesAgainstReferenceServer(string id)
    {
        Assert.That(ScenarioCatalog.All.Any(s => s.Id == id), Is.True, $"scenario files did not load: {id}");

        IReadOnlyDictionary<string, ScenarioResult> results = await ReferenceServerRun.Results();
        ScenarioResult result = results[id];

        Assert.That(result.Outcome, Is.EqualTo(ScenarioOutcome.Pass), () => Explain(result));
    }

    private static string Explain(ScenarioResult result)
    {
        var text = new StringBuilder();
        text.AppendLine($"{result.Outcome}: {result.Scenario.Id} ({string.Join(", ", result.Scenario.Requirements)}) {result.Scenario.Title}");
        foreach (string failure in result.Failures)
        {
            text.AppendLine("  - " + failure);
        }

        if (result.Expected is not null)
        {
            text.AppendLine("expected: " + result.Expected);
            text.AppendLine("actual:   " + result.Actual);
        }

        text.AppendLine("transcript:");
        foreach (TranscriptEntry entry in result.Transcript)
        {
            text.AppendLine("  " + entry);
        }

        text.AppendLine("server stderr (tail):");
        text.AppendLine(result.ServerStderrTail);
        text.AppendLine("rerun: " + result.RerunCommand);
        return text.ToString();
    }
}
