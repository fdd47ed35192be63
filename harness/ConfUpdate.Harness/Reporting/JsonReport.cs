namespace ConfUpdate.Harness.Reporting;

/// <summary>The content of <c>report.json</c>: run metadata, counts, each scenario and the coverage matrix.</summary>
public sealed record JsonReport
{
    /// <summary>The format's version; bumped when a field changes meaning.</summary>
    public int FormatVersion { get; init; } = 1;

    /// <summary>The kit's version.</summary>
    public string KitVersion { get; init; } = "";

    /// <summary>The server-under-test command template.</summary>
    public required string ServerCommand { get; init; }

    /// <summary>The implementation's name from HELLO, when known.</summary>
    public string? ImplementationName { get; init; }

    /// <summary>When the run started.</summary>
    public DateTimeOffset StartedAt { get; init; }

    /// <summary>Wall time of the run in milliseconds.</summary>
    public double DurationMs { get; init; }

    /// <summary>Whether SHOULD-level scenarios were included.</summary>
    public bool Strict { get; init; }

    /// <summary>The selection as given.</summary>
    public string Selection { get; init; } = "";

    /// <summary>The expected-failures file, if any.</summary>
    public string? ExpectedFailuresFile { get; init; }

    /// <summary>Whether the run was interrupted.</summary>
    public bool Interrupted { get; init; }

    /// <summary>How many scenarios were selected.</summary>
    public int Selected { get; init; }

    /// <summary>Whether the implementation conformed (no unexcused failure or error).</summary>
    public bool Conformant { get; init; }

    /// <summary>The counts.</summary>
    public required RunCounts Counts { get; init; }

    /// <summary>Each scenario that ran.</summary>
    public IReadOnlyList<JsonScenarioReport> Scenarios { get; init; } = [];

    /// <summary>The requirement coverage matrix, when SPEC.md was available.</summary>
    public IReadOnlyList<RequirementCoverage> Coverage { get; init; } = [];

    /// <summary>MUST requirements no scenario in the run covers.</summary>
    public IReadOnlyList<string> UncoveredMust { get; init; } = [];
}
