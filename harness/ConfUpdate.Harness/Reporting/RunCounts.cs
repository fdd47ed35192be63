namespace ConfUpdate.Harness.Reporting;

/// <summary>How many selected scenarios ended how.</summary>
/// <param name="Total">Scenarios that ran.</param>
/// <param name="Passed">Passed (unexpected passes included).</param>
/// <param name="Failed">Failed, not listed as expected failures.</param>
/// <param name="Errors">Errored (the kit could not carry them out), not listed.</param>
/// <param name="ExpectedFailures">Failed or errored but listed in the expected-failures file.</param>
/// <param name="UnexpectedPasses">Passed although listed in the expected-failures file.</param>
public sealed record RunCounts(int Total, int Passed, int Failed, int Errors, int ExpectedFailures, int UnexpectedPasses)
{
    /// <summary>Counts a list of classified results.</summary>
    public static RunCounts Of(IReadOnlyCollection<ReportedScenario> scenarios)
    {
        ArgumentNullException.ThrowIfNull(scenarios);
        int Count(Verdict v) => scenarios.Count(s => s.Verdict == v);
        return new RunCounts(
            scenarios.Count,
            Count(Verdict.Pass) + Count(Verdict.UnexpectedPass),
            Count(Verdict.Fail),
            Count(Verdict.Error),
            Count(Verdict.ExpectedFailure),
            Count(Verdict.UnexpectedPass));
    }

    /// <summary>
    /// The line <c>run-tests.sh</c> adds to its totals: <c>N passed, N failed, N skipped</c>, where failed
    /// counts failures and errors, and skipped counts expected failures (scenarios that ran but are excused).
    /// </summary>
    public string SummaryLine => $"{Passed} passed, {Failed + Errors} failed, {ExpectedFailures} skipped";
}
