using ConfUpdate.Harness.Running;

namespace ConfUpdate.Harness.Reporting;

/// <summary>One scenario's result with its verdict after the expected-failures list.</summary>
/// <param name="Result">What the runner yielded.</param>
/// <param name="Verdict">How it counts for the run.</param>
/// <param name="ExpectedFailureReason">The reason given in the expected-failures file, when listed.</param>
public sealed record ReportedScenario(ScenarioResult Result, Verdict Verdict, string? ExpectedFailureReason = null)
{
    /// <summary>The scenario's id.</summary>
    public string Id => Result.Scenario.Id;

    /// <summary>Whether it counts as failed in the summary line (<see cref="Verdict.Fail"/> or <see cref="Verdict.Error"/>).</summary>
    public bool CountsAsFailed => Verdict is Verdict.Fail or Verdict.Error;

    /// <summary>Classifies a result: a listed scenario that did not pass is an expected failure; a listed one that passed is an unexpected pass.</summary>
    public static ReportedScenario Classify(ScenarioResult result, IReadOnlyDictionary<string, string>? expectedFailures)
    {
        ArgumentNullException.ThrowIfNull(result);
        string? reason = null;
        bool listed = expectedFailures is not null && expectedFailures.TryGetValue(result.Scenario.Id, out reason);
        Verdict verdict = (result.Outcome, listed) switch
        {
            (ScenarioOutcome.Pass, false) => Verdict.Pass,
            (ScenarioOutcome.Pass, true) => Verdict.UnexpectedPass,
            (_, true) => Verdict.ExpectedFailure,
            (ScenarioOutcome.Fail, false) => Verdict.Fail,
            _ => Verdict.Error,
        };
        return new ReportedScenario(result, verdict, listed ? reason : null);
    }
}
