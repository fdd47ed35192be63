using System.Globalization;
using System.Text;

namespace ConfUpdate.Bench;

/// <summary>Prints comparisons as a plain-text table: median, p10, p90 of subject and baseline, and their ratio.</summary>
internal static class ResultTable
{
    private static readonly CompositeFormat s_row =
        CompositeFormat.Parse("{0,-44} {1,-26} {2,9} {3,9} {4,9}   {5,-26} {6,9} {7,9} {8,9}   {9,7}");

    /// <summary>Writes the header and one row per comparison.</summary>
    public static void Write(TextWriter output, IEnumerable<Comparison> comparisons)
    {
        output.WriteLine(string.Format(CultureInfo.InvariantCulture, s_row,
            "measurement (ms)", "subject", "median", "p10", "p90", "baseline", "median", "p10", "p90", "ratio"));
        output.WriteLine(new string('-', 171));
        foreach (Comparison row in comparisons)
        {
            Summary subject = Summary.Of(row.SubjectSamples);
            Summary baseline = Summary.Of(row.BaselineSamples);
            output.WriteLine(string.Format(CultureInfo.InvariantCulture, s_row,
                row.Measurement,
                row.Subject,
                Summary.Milliseconds(subject.Median),
                Summary.Milliseconds(subject.P10),
                Summary.Milliseconds(subject.P90),
                row.Baseline,
                Summary.Milliseconds(baseline.Median),
                Summary.Milliseconds(baseline.P10),
                Summary.Milliseconds(baseline.P90),
                row.Ratio.ToString("0.00", CultureInfo.InvariantCulture) + "x"));
        }
    }
}
