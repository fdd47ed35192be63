namespace ConfUpdate.Harness.Reporting;

/// <summary>One SPEC requirement and the scenarios that check it.</summary>
/// <param name="Id">The requirement id (<c>AUTH-3</c>).</param>
/// <param name="Level">Its level in SPEC.md's index (MUST, SHOULD, MAY).</param>
/// <param name="Scenarios">The scenarios citing it, in load order.</param>
public sealed record RequirementCoverage(string Id, string Level, IReadOnlyList<CoverageEntry> Scenarios)
{
    /// <summary>Whether any scenario cites it.</summary>
    public bool Covered => Scenarios.Count > 0;

    /// <summary>A one-word status: <c>uncovered</c>, <c>not run</c>, <c>pass</c>, or <c>fail</c> when any citing scenario failed or errored.</summary>
    public string Status
    {
        get
        {
            if (!Covered)
            {
                return "uncovered";
            }

            List<Verdict> ran = [.. Scenarios.Where(s => s.Verdict is not null).Select(s => s.Verdict!.Value)];
            if (ran.Count == 0)
            {
                return "not run";
            }

            if (ran.Any(v => v is Verdict.Fail or Verdict.Error))
            {
                return "fail";
            }

            return ran.Any(v => v == Verdict.ExpectedFailure) ? "expected failure" : "pass";
        }
    }
}
