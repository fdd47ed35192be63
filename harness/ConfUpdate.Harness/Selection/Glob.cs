using System.Text;
using System.Text.RegularExpressions;

namespace ConfUpdate.Harness.Selection;

/// <summary>Shell-style patterns for ids: <c>*</c> any run of characters, <c>?</c> one character; case-insensitive.</summary>
internal static class Glob
{
    public static bool HasWildcards(string pattern) => pattern.AsSpan().IndexOfAny('*', '?') >= 0;

    public static bool Matches(string pattern, string text)
    {
        if (!HasWildcards(pattern))
        {
            return string.Equals(pattern, text, StringComparison.OrdinalIgnoreCase);
        }

        var regex = new StringBuilder("^");
        foreach (char c in pattern)
        {
            regex.Append(c switch
            {
                '*' => ".*",
                '?' => ".",
                _ => Regex.Escape(c.ToString()),
            });
        }

        return Regex.IsMatch(text, regex.Append('$').ToString(), RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
    }
}
