using ConfUpdate.Harness.Running;

namespace ConfUpdate.Harness.Reporting;

/// <summary>A finished (or interrupted) run: metadata, each scenario's classified result, and the counts.</summary>
public sealed record RunReport
{
    /// <summary>What was run, against what, and when.</summary>
    public required RunMetadata Metadata { get; init; }

    /// <summary>Each scenario that ran, in the order the runner yielded them.</summary>
    public required IReadOnlyList<ReportedScenario> Scenarios { get; init; }

    /// <summary>The counts over <see cref="Scenarios"/>.</summary>
    public RunCounts Counts => RunCounts.Of(Scenarios);

    /// <summary>Whether every scenario passed or is an expected failure (unexpected passes do not break conformance).</summary>
    public bool Conformant => !Metadata.Interrupted && Scenarios.All(s => !s.CountsAsFailed);

    /// <summary>Whether some unexcused result says the server under test failed to start or died.</summary>
    public bool ServerFailed => Scenarios.Any(s => s.CountsAsFailed && s.Result.ServerFailed);

    /// <summary>Classifies the runner's results against an expected-failures map (scenario id to reason).</summary>
    public static RunReport Create(
        RunMetadata metadata, IEnumerable<ScenarioResult> results, IReadOnlyDictionary<string, string>? expectedFailures = null)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        ArgumentNullException.ThrowIfNull(results);
        return new RunReport
        {
            Metadata = metadata,
            Scenarios = [.. results.Select(r => ReportedScenario.Classify(r, expectedFailures))],
        };
    }
}
