using ConfUpdate.Harness.Running;

namespace ConfUpdate.Harness.Reporting;

/// <summary>One scenario in <c>report.json</c>: the scenario's identity and everything in its <see cref="ScenarioResult"/>.</summary>
public sealed record JsonScenarioReport
{
    /// <summary>The scenario's stable id.</summary>
    public required string Id { get; init; }

    /// <summary>What the server does, in one sentence.</summary>
    public string Title { get; init; } = "";

    /// <summary>MUST or SHOULD.</summary>
    public string Level { get; init; } = "MUST";

    /// <summary>The SPEC requirement ids it checks.</summary>
    public IReadOnlyList<string> Requirements { get; init; } = [];

    /// <summary>Its tags.</summary>
    public IReadOnlyList<string> Tags { get; init; } = [];

    /// <summary>The scenario file.</summary>
    public string SourceFile { get; init; } = "";

    /// <summary>The runner's outcome.</summary>
    public ScenarioOutcome Outcome { get; init; }

    /// <summary>How it counts after the expected-failures list.</summary>
    public Verdict Verdict { get; init; }

    /// <summary>The reason from the expected-failures file, when listed.</summary>
    public string? ExpectedFailureReason { get; init; }

    /// <summary>Every problem found.</summary>
    public IReadOnlyList<string> Failures { get; init; } = [];

    /// <summary>The first mismatching step's accepted outcome(s).</summary>
    public string? Expected { get; init; }

    /// <summary>What that step observed.</summary>
    public string? Actual { get; init; }

    /// <summary>Datagrams and actions with identity and time.</summary>
    public IReadOnlyList<TranscriptEntry> Transcript { get; init; } = [];

    /// <summary>The tail of the server's stderr.</summary>
    public string ServerStderrTail { get; init; } = "";

    /// <summary>The one-line command that reruns it.</summary>
    public string RerunCommand { get; init; } = "";

    /// <summary>Wall time in milliseconds.</summary>
    public double DurationMs { get; init; }

    /// <summary>Whether the server under test failed to start or died.</summary>
    public bool ServerFailed { get; init; }

    /// <summary>Flattens a classified result.</summary>
    public static JsonScenarioReport From(ReportedScenario scenario)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        ScenarioResult r = scenario.Result;
        return new JsonScenarioReport
        {
            Id = r.Scenario.Id,
            Title = r.Scenario.Title,
            Level = r.Scenario.Level,
            Requirements = r.Scenario.Requirements,
            Tags = r.Scenario.Tags,
            SourceFile = r.Scenario.SourceFile,
            Outcome = r.Outcome,
            Verdict = scenario.Verdict,
            ExpectedFailureReason = scenario.ExpectedFailureReason,
            Failures = r.Failures,
            Expected = r.Expected,
            Actual = r.Actual,
            Transcript = r.Transcript,
            ServerStderrTail = r.ServerStderrTail,
            RerunCommand = r.RerunCommand,
            DurationMs = Math.Round(r.Duration.TotalMilliseconds, 3),
            ServerFailed = r.ServerFailed,
        };
    }
}
