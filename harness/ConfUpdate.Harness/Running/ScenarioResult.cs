using ConfUpdate.Harness.Scenarios;

namespace ConfUpdate.Harness.Running;

/// <summary>The result of one scenario: outcome, expected versus actual, transcript, server stderr, rerun command.</summary>
public sealed record ScenarioResult
{
    /// <summary>The scenario.</summary>
    public required Scenario Scenario { get; init; }

    /// <summary>Pass, fail or error.</summary>
    public required ScenarioOutcome Outcome { get; init; }

    /// <summary>Every problem found (empty on pass): step mismatches, failed checks, kit errors.</summary>
    public IReadOnlyList<string> Failures { get; init; } = [];

    /// <summary>The first mismatching step's accepted outcome(s) (every <c>any_of</c> alternative), or null.</summary>
    public string? Expected { get; init; }

    /// <summary>What that step observed, or null.</summary>
    public string? Actual { get; init; }

    /// <summary>Datagrams and actions, with identity and time.</summary>
    public IReadOnlyList<TranscriptEntry> Transcript { get; init; } = [];

    /// <summary>The last lines of the server's standard error.</summary>
    public string ServerStderrTail { get; init; } = "";

    /// <summary>One line that reruns just this scenario.</summary>
    public string RerunCommand { get; init; } = "";

    /// <summary>Wall time of the scenario.</summary>
    public TimeSpan Duration { get; init; }

    /// <summary>Whether the error was that the server under test failed to start or died (CLI exit code 3).</summary>
    public bool ServerFailed { get; init; }

    /// <summary>A one-line summary.</summary>
    public override string ToString() =>
        $"{Outcome.ToString().ToUpperInvariant()} {Scenario.Id} ({Duration.TotalMilliseconds:0} ms){(Failures.Count > 0 ? ": " + Failures[0] : "")}";
}
