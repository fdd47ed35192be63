namespace ConfUpdate.Bench;

/// <summary>One row of the table: a figure for the subject and the same figure for its baseline, measured side by side.</summary>
/// <param name="Measurement">What was timed.</param>
/// <param name="Subject">What is measured (e.g. the reference server).</param>
/// <param name="SubjectSamples">Its timings.</param>
/// <param name="Baseline">What it is compared with.</param>
/// <param name="BaselineSamples">The baseline's timings.</param>
internal sealed record Comparison(
    string Measurement, string Subject, IReadOnlyList<TimeSpan> SubjectSamples, string Baseline, IReadOnlyList<TimeSpan> BaselineSamples)
{
    /// <summary>Subject median over baseline median: 2.0 means the subject takes twice as long.</summary>
    public double Ratio => Summary.Of(SubjectSamples).Median / Summary.Of(BaselineSamples).Median;
}
