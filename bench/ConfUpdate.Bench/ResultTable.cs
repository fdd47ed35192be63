using System.Globalization;
using System.Text;

namespace ConfUpdate.Bench;

/// <summary>
/// Prints comparisons as a plain-text table: the subject's and the baseline's median, p10 and p90 over the
/// rounds, the ratio's median, p10 and p90 (one ratio per round), and the load average during the rounds.
/// </summary>
internal static class ResultTable
{
    private static readonly CompositeFormat s_row =
        CompositeFormat.Parse("{0,-40} {1,-22} {2,8} {3,8} {4,8}  {5,-22} {6,8} {7,8} {8,8}  {9,7} {10,7} {11,7}  {12,-9}");

    /// <summary>Writes one block per placement: a header and one row per comparison.</summary>
    public static void Write(TextWriter output, IEnumerable<Comparison> comparisons)
    {
        ArgumentNullException.ThrowIfNull(output);
        foreach (IGrouping<string, Comparison> block in comparisons.GroupBy(c => c.Placement))
        {
            output.WriteLine();
            output.WriteLine($"placement: {block.Key}");
            output.WriteLine(string.Format(CultureInfo.InvariantCulture, s_row,
                "figure", "subject", "median", "p10", "p90", "baseline", "median", "p10", "p90", "ratio", "p10", "p90", "load"));
            output.WriteLine(new string('-', 178));
            foreach (Comparison row in block)
            {
                Summary subject = Summary.Of([.. row.SubjectValues]);
                Summary baseline = Summary.Of([.. row.BaselineValues]);
                double[] ratios = [.. row.Ratios.Where(r => !double.IsNaN(r))];
                Summary? ratio = row.RatioIsMeaningless || ratios.Length == 0 ? null : Summary.Of(ratios);
                output.WriteLine(string.Format(CultureInfo.InvariantCulture, s_row,
                    row.Figure,
                    row.Subject,
                    Summary.Format(subject.Median),
                    Summary.Format(subject.P10),
                    Summary.Format(subject.P90),
                    row.Baseline,
                    Summary.Format(baseline.Median),
                    Summary.Format(baseline.P10),
                    Summary.Format(baseline.P90),
                    Ratio(ratio?.Median),
                    Ratio(ratio?.P10),
                    Ratio(ratio?.P90),
                    string.Create(CultureInfo.InvariantCulture, $"{row.Loads.Min():0.0}-{row.Loads.Max():0.0}")));
            }
        }

        output.WriteLine();
    }

    private static string Ratio(double? value) => value is { } v ? v.ToString("0.00", CultureInfo.InvariantCulture) + "x" : "-";
}
