using System.Text.RegularExpressions;

namespace ConfUpdate.Harness.Scenarios;

/// <summary>The requirement ids and levels of SPEC.md's index table (section "Requirement index").</summary>
public sealed partial class RequirementIndex
{
    private RequirementIndex(IReadOnlyDictionary<string, string> levels) => Levels = levels;

    /// <summary>Each id with its level (MUST, SHOULD...).</summary>
    public IReadOnlyDictionary<string, string> Levels { get; }

    /// <summary>Whether the id is in the index.</summary>
    public bool Contains(string id) => Levels.ContainsKey(id);

    /// <summary>The ids at MUST level, in index order.</summary>
    public IEnumerable<string> Must => Levels.Where(kv => kv.Value == "MUST").Select(kv => kv.Key);

    /// <summary>Reads the index rows (<c>| AUTH-3 | MUST | Authentication |</c>) from SPEC.md.</summary>
    /// <exception cref="FormatException">No index rows were found.</exception>
    public static RequirementIndex Parse(string specMarkdown)
    {
        ArgumentNullException.ThrowIfNull(specMarkdown);
        var levels = new Dictionary<string, string>(StringComparer.Ordinal);
        int index = specMarkdown.IndexOf("Requirement index", StringComparison.Ordinal);
        string table = index < 0 ? specMarkdown : specMarkdown[index..];
        foreach (Match match in Row().Matches(table))
        {
            levels[match.Groups["id"].Value] = match.Groups["level"].Value;
        }

        return levels.Count == 0
            ? throw new FormatException("SPEC.md has no requirement index rows like '| AUTH-3 | MUST | Authentication |'.")
            : new RequirementIndex(levels);
    }

    /// <summary>Reads SPEC.md from a file.</summary>
    public static RequirementIndex Load(string specPath) => Parse(File.ReadAllText(specPath));

    [GeneratedRegex(@"^\|\s*(?<id>[A-Z]+-\d+)\s*\|\s*(?<level>MUST|SHOULD|MAY)\b", RegexOptions.Multiline)]
    private static partial Regex Row();
}
