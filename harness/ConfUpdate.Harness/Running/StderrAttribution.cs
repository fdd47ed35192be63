using System.Text.RegularExpressions;

namespace ConfUpdate.Harness.Running;

/// <summary>
/// Which scenario a shared server's stderr line is about. Each scenario's targets are named <c>{key}-{local}</c>
/// and live under <c>…/{key}/</c> (key <c>s12</c>), so an audit or error line naming a target or path carries its
/// scenario's key. Lines with no key (a connection accepted) cannot be attributed and are kept.
/// </summary>
internal static partial class StderrAttribution
{
    /// <summary>Whether <paramref name="line"/> names a target or directory of a scenario other than <paramref name="key"/>.</summary>
    public static bool NamesOtherScenario(string line, string key)
    {
        foreach (Match match in ScenarioKey().Matches(line))
        {
            if (match.Groups["key"].Value != key)
            {
                return true;
            }
        }

        return false;
    }

    // "s12-site" (a target name, quoted or not) or "/s12/" (its directory); not inside a longer word.
    [GeneratedRegex(@"(?<![A-Za-z0-9_.-])(?<key>s\d+)(?=-[A-Za-z0-9_]|/)")]
    private static partial Regex ScenarioKey();
}
