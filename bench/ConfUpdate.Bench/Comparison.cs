namespace ConfUpdate.Bench;

/// <summary>
/// One row of the table: a figure of the subject and the same figure of its baseline, measured in the
/// same rounds (subject and baseline alternate within each round), so that each round gives one ratio.
/// </summary>
/// <param name="Figure">What was measured, with its unit.</param>
/// <param name="Placement">Where the processes ran (taskset CPU lists).</param>
/// <param name="Subject">What is measured (e.g. the reference server).</param>
/// <param name="SubjectValues">Its value in each round.</param>
/// <param name="Baseline">The physical-limit baseline it is compared with (a C program built by the bench).</param>
/// <param name="BaselineValues">The baseline's value in the same rounds.</param>
/// <param name="Loads">The 1-minute load average after each round.</param>
/// <param name="HigherIsBetter">Throughput (true) or a time or a size (false).</param>
/// <param name="RatioIsMeaningless">The baseline is about zero (memory kept after close): the table prints the values and no ratio.</param>
internal sealed record Comparison(
    string Figure,
    string Placement,
    string Subject,
    IReadOnlyList<double> SubjectValues,
    string Baseline,
    IReadOnlyList<double> BaselineValues,
    IReadOnlyList<double> Loads,
    bool HigherIsBetter = false,
    bool RatioIsMeaningless = false)
{
    /// <summary>Subject over baseline, round by round: for a time, 2.0 means twice the baseline's; for a throughput, 0.5 means half.</summary>
    public IReadOnlyList<double> Ratios => [.. SubjectValues.Zip(BaselineValues, (s, b) => b == 0 ? double.NaN : s / b)];
}
