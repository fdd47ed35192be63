using ConfUpdate.Harness.Running;

namespace ConfUpdate.Harness.Tests.Detection;

/// <summary>The kit's MUST scenarios run against one server: its results and wall time.</summary>
internal sealed record ServerRun(string Name, string Command, IReadOnlyList<ScenarioResult> Results, TimeSpan Duration)
{
    /// <summary>Like the CLI's exit code 1: at least one scenario did not pass.</summary>
    public bool NonConformant => Results.Any(r => r.Outcome != ScenarioOutcome.Pass);

    public IEnumerable<ScenarioResult> Failed => Results.Where(r => r.Outcome == ScenarioOutcome.Fail);

    public IEnumerable<ScenarioResult> NotPassed => Results.Where(r => r.Outcome != ScenarioOutcome.Pass);

    /// <summary>Failed scenarios that cite one of the given requirements: the ones that caught a fault.</summary>
    public IReadOnlyList<ScenarioResult> FailedCiting(IEnumerable<string> requirements)
    {
        var wanted = new HashSet<string>(requirements, StringComparer.Ordinal);
        return Failed.Where(r => r.Scenario.Requirements.Any(wanted.Contains)).OrderBy(r => r.Scenario.Id, StringComparer.Ordinal).ToList();
    }
}
