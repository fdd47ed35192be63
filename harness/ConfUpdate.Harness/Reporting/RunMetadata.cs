namespace ConfUpdate.Harness.Reporting;

/// <summary>What was run, against what, and when: the head of every report.</summary>
/// <param name="ServerCommand">The server-under-test command template (SPEC PROF-1).</param>
/// <param name="StartedAt">When the run started.</param>
/// <param name="Duration">Wall time of the run.</param>
public sealed record RunMetadata(string ServerCommand, DateTimeOffset StartedAt, TimeSpan Duration)
{
    /// <summary>The implementation's name from its HELLO reply, when known.</summary>
    public string? ImplementationName { get; init; }

    /// <summary>Whether SHOULD-level scenarios were included (<c>--strict</c>).</summary>
    public bool Strict { get; init; }

    /// <summary>The selection, as given on the command line (for the record); empty when everything ran.</summary>
    public string Selection { get; init; } = "";

    /// <summary>The expected-failures file in use, if any.</summary>
    public string? ExpectedFailuresFile { get; init; }

    /// <summary>Whether the run was interrupted before every selected scenario ran.</summary>
    public bool Interrupted { get; init; }

    /// <summary>How many scenarios were selected (may exceed the results when interrupted).</summary>
    public int Selected { get; init; }

    /// <summary>The kit's version.</summary>
    public string KitVersion { get; init; } = typeof(RunMetadata).Assembly.GetName().Version?.ToString() ?? "0.0.0";
}
