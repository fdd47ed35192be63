using System.Globalization;

namespace ConfUpdate.Bench;

/// <summary>Median, 10th and 90th percentile of a set of values (linear interpolation between ranks).</summary>
/// <param name="Count">How many values.</param>
/// <param name="Median">The 50th percentile.</param>
/// <param name="P10">The 10th percentile.</param>
/// <param name="P90">The 90th percentile.</param>
internal sealed record Summary(int Count, double Median, double P10, double P90)
{
    /// <summary>Summarises at least one value.</summary>
    public static Summary Of(IReadOnlyCollection<double> values)
    {
        if (values.Count == 0)
        {
            throw new ArgumentException("Expected at least one value; got none.", nameof(values));
        }

        double[] sorted = [.. values.Order()];
        return new Summary(sorted.Length, Percentile(sorted, 0.5), Percentile(sorted, 0.1), Percentile(sorted, 0.9));
    }

    /// <summary>A value with precision that suits its size (0.012, 1.23, 12.3, 123).</summary>
    public static string Format(double value)
    {
        double size = Math.Abs(value);
        string format = size < 1 ? "0.000" : size < 10 ? "0.00" : size < 100 ? "0.0" : "0";
        return value.ToString(format, CultureInfo.InvariantCulture);
    }

    /// <summary>The value at <paramref name="quantile"/> (0..1) of sorted values.</summary>
    public static double Percentile(IReadOnlyList<double> sorted, double quantile)
    {
        ArgumentNullException.ThrowIfNull(sorted);
        double rank = quantile * (sorted.Count - 1);
        int below = (int)Math.Floor(rank);
        int above = Math.Min(below + 1, sorted.Count - 1);
        return sorted[below] + ((rank - below) * (sorted[above] - sorted[below]));
    }
}
