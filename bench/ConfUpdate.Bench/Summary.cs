using System.Globalization;

namespace ConfUpdate.Bench;

/// <summary>Median, 10th and 90th percentile of a set of timings (linear interpolation between ranks).</summary>
/// <param name="Count">How many samples.</param>
/// <param name="Median">The 50th percentile.</param>
/// <param name="P10">The 10th percentile.</param>
/// <param name="P90">The 90th percentile.</param>
internal sealed record Summary(int Count, TimeSpan Median, TimeSpan P10, TimeSpan P90)
{
    /// <summary>Summarises at least one sample.</summary>
    public static Summary Of(IReadOnlyCollection<TimeSpan> samples)
    {
        if (samples.Count == 0)
        {
            throw new ArgumentException("Expected at least one sample; got none.", nameof(samples));
        }

        double[] sorted = [.. samples.Select(s => s.TotalMilliseconds).Order()];
        return new Summary(
            sorted.Length,
            TimeSpan.FromMilliseconds(Percentile(sorted, 0.5)),
            TimeSpan.FromMilliseconds(Percentile(sorted, 0.1)),
            TimeSpan.FromMilliseconds(Percentile(sorted, 0.9)));
    }

    /// <summary>Milliseconds with precision that suits the size (0.012, 1.23, 123).</summary>
    public static string Milliseconds(TimeSpan value)
    {
        double ms = value.TotalMilliseconds;
        string format = ms < 1 ? "0.000" : ms < 10 ? "0.00" : ms < 100 ? "0.0" : "0";
        return ms.ToString(format, CultureInfo.InvariantCulture);
    }

    private static double Percentile(double[] sorted, double quantile)
    {
        double rank = quantile * (sorted.Length - 1);
        int below = (int)Math.Floor(rank);
        int above = Math.Min(below + 1, sorted.Length - 1);
        return sorted[below] + ((rank - below) * (sorted[above] - sorted[below]));
    }
}
