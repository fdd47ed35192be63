using System.Globalization;
using System.Text.RegularExpressions;

namespace ConfUpdate.Harness.Scenarios;

/// <summary>
/// Evaluates size expressions: an integer, or a symbol (<c>max</c> = the announced maximum request size,
/// <c>sndbuf</c> = the socket send buffer, <c>page</c> = 4096) with optional <c>*k</c>, <c>+n</c> or <c>-n</c>.
/// </summary>
public sealed partial record SizeContext(int Max, int SendBuffer)
{
    /// <summary>The page size symbol's value.</summary>
    public const int Page = 4096;

    /// <summary>Evaluates an expression such as <c>max+1</c> or <c>2*max</c>.</summary>
    /// <exception cref="FormatException">The text is not a size expression.</exception>
    public int Evaluate(string expression)
    {
        ArgumentNullException.ThrowIfNull(expression);
        string text = expression.Replace(" ", "", StringComparison.Ordinal);
        Match match = Expression().Match(text);
        if (!match.Success)
        {
            throw new FormatException($"Size '{expression}' is not an integer or max/sndbuf/page with an optional factor and +/- offset (e.g. max+1, 2*max).");
        }

        long factor = match.Groups["factor"].Success ? long.Parse(match.Groups["factor"].Value, CultureInfo.InvariantCulture) : 1;
        long value = match.Groups["symbol"].Value switch
        {
            "max" => Max,
            "sndbuf" => SendBuffer,
            "page" => Page,
            var number => long.Parse(number, CultureInfo.InvariantCulture),
        };
        long offset = match.Groups["offset"].Success ? long.Parse(match.Groups["offset"].Value, CultureInfo.InvariantCulture) : 0;
        return checked((int)(factor * value + offset));
    }

    /// <summary>Whether the text is a size expression (for the loader's lint).</summary>
    public static bool IsExpression(string text) => Expression().IsMatch(text.Replace(" ", "", StringComparison.Ordinal));

    [GeneratedRegex(@"^(?:(?<factor>\d+)\*)?(?<symbol>max|sndbuf|page|\d+)(?<offset>[+-]\d+)?$")]
    private static partial Regex Expression();
}
