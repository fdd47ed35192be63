namespace ConfUpdate.Harness.Stress;

/// <summary>The outcome of one stress check: a verdict, figures for the report, and what went wrong.</summary>
/// <param name="Check">Which check.</param>
/// <param name="Requirements">The SPEC requirements the check exercises.</param>
public sealed record StressResult(StressCheck Check, IReadOnlyList<string> Requirements)
{
    /// <summary>Whether the check passed.</summary>
    public bool Passed => Failures.Count == 0 && Error is null;

    /// <summary>One line for humans.</summary>
    public string Summary { get; init; } = "";

    /// <summary>Named figures, in the order they were measured (counts, milliseconds, bytes).</summary>
    public IReadOnlyList<KeyValuePair<string, double>> Figures { get; init; } = [];

    /// <summary>What broke the SPEC (at most a few, the first first).</summary>
    public IReadOnlyList<string> Failures { get; init; } = [];

    /// <summary>Set when the kit could not carry the check out (not a verdict on the server).</summary>
    public string? Error { get; init; }

    /// <summary>A scenario file that reproduces a failure (fuzz), if one was written.</summary>
    public string? ReproductionFile { get; init; }

    /// <summary>How long the check took.</summary>
    public TimeSpan Duration { get; init; }
}

/// <summary>Progress of a running check, for a display: done out of total, with a short note.</summary>
/// <param name="Check">Which check.</param>
/// <param name="Done">Units done (kills, datagrams, seconds...).</param>
/// <param name="Total">Units in all.</param>
/// <param name="Note">What is happening.</param>
public readonly record struct StressProgress(StressCheck Check, double Done, double Total, string Note);
