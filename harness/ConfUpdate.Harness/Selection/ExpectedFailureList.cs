using ConfUpdate.Harness.Scenarios;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace ConfUpdate.Harness.Selection;

/// <summary>
/// The scenarios a given implementation is known to fail. Listed scenarios that fail do not make the run
/// non-conformant; listed ones that pass are reported as unexpected passes. Two formats:
/// plain text, one id per line with an optional <c># reason</c> (blank lines and <c>#</c> lines ignored);
/// or YAML (<c>.yaml</c>/<c>.yml</c>): a mapping <c>id: reason</c>, or a list of ids or of
/// <c>{id, reason}</c>, optionally under a top-level <c>expected_failures</c> key.
/// </summary>
public sealed class ExpectedFailureList
{
    private ExpectedFailureList(string source, IReadOnlyList<ExpectedFailure> entries)
    {
        Source = source;
        Entries = entries;
        Reasons = entries.ToDictionary(e => e.Id, e => e.Reason, StringComparer.Ordinal);
    }

    /// <summary>An empty list.</summary>
    public static ExpectedFailureList Empty { get; } = new("", []);

    /// <summary>The file it came from.</summary>
    public string Source { get; }

    /// <summary>The entries, in file order.</summary>
    public IReadOnlyList<ExpectedFailure> Entries { get; }

    /// <summary>Scenario id to reason.</summary>
    public IReadOnlyDictionary<string, string> Reasons { get; }

    /// <summary>Reads a file; the format follows its extension.</summary>
    /// <exception cref="FormatException">The file is malformed; the message names the file and line.</exception>
    public static ExpectedFailureList Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        return Parse(File.ReadAllText(path), path);
    }

    /// <summary>Parses text; <paramref name="fileName"/> picks the format (by extension) and names it in messages.</summary>
    /// <exception cref="FormatException">The text is malformed; the message names the file and line.</exception>
    public static ExpectedFailureList Parse(string text, string fileName)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(fileName);
        string extension = Path.GetExtension(fileName).ToLowerInvariant();
        List<ExpectedFailure> entries = extension is ".yaml" or ".yml" ? ParseYaml(text, fileName) : ParsePlain(text, fileName);
        foreach (IGrouping<string, ExpectedFailure> duplicate in entries.GroupBy(e => e.Id, StringComparer.Ordinal).Where(g => g.Count() > 1))
        {
            throw new FormatException(
                $"{fileName}:{duplicate.Skip(1).First().Line}: scenario id '{duplicate.Key}' is listed twice (first on line {duplicate.First().Line}).");
        }

        return new ExpectedFailureList(fileName, entries);
    }

    /// <summary>Entries that name no known scenario (a typo, or a scenario that was renamed): worth a warning.</summary>
    public IEnumerable<ExpectedFailure> Unknown(IEnumerable<Scenario> scenarios)
    {
        ArgumentNullException.ThrowIfNull(scenarios);
        HashSet<string> ids = [.. scenarios.Select(s => s.Id)];
        return Entries.Where(e => !ids.Contains(e.Id));
    }

    private static List<ExpectedFailure> ParsePlain(string text, string fileName)
    {
        var entries = new List<ExpectedFailure>();
        string[] lines = text.ReplaceLineEndings("\n").Split('\n');
        for (int i = 0; i < lines.Length; i++)
        {
            string line = lines[i].Trim();
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            int hash = line.IndexOf('#', StringComparison.Ordinal);
            string id = (hash < 0 ? line : line[..hash]).Trim();
            string reason = hash < 0 ? "" : line[(hash + 1)..].Trim();
            if (id.Any(char.IsWhiteSpace))
            {
                throw new FormatException(
                    $"{fileName}:{i + 1}: expected one scenario id per line, optionally followed by '# reason'; got '{lines[i].Trim()}'.");
            }

            entries.Add(new ExpectedFailure(id, reason, i + 1));
        }

        return entries;
    }

    private static List<ExpectedFailure> ParseYaml(string text, string fileName)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException ex)
        {
            throw new FormatException($"{fileName}:{ex.Start.Line}: YAML syntax: {ex.InnerException?.Message ?? ex.Message}", ex);
        }

        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is YamlScalarNode { Value: null or "" })
        {
            return [];
        }

        YamlNode root = stream.Documents[0].RootNode;
        if (root is YamlMappingNode top && top.Children.Count == 1
            && top.Children.Keys.Single() is YamlScalarNode { Value: "expected_failures" })
        {
            root = top.Children.Values.Single();
        }

        var entries = new List<ExpectedFailure>();
        switch (root)
        {
            case YamlMappingNode map:
                foreach ((YamlNode key, YamlNode value) in map.Children)
                {
                    entries.Add(new ExpectedFailure(Scalar(key, fileName), value is YamlScalarNode s ? s.Value ?? "" : Scalar(value, fileName), Line(key)));
                }

                break;
            case YamlSequenceNode list:
                foreach (YamlNode item in list.Children)
                {
                    entries.Add(item switch
                    {
                        YamlScalarNode scalar => new ExpectedFailure(Scalar(scalar, fileName), "", Line(scalar)),
                        YamlMappingNode entry => FromEntry(entry, fileName),
                        _ => throw new FormatException($"{fileName}:{Line(item)}: expected a scenario id or {{id, reason}}; got a {item.NodeType}."),
                    });
                }

                break;
            default:
                throw new FormatException(
                    $"{fileName}:{Line(root)}: expected a mapping 'id: reason' or a list of ids or of {{id, reason}}; got a {root.NodeType}.");
        }

        return entries;
    }

    private static ExpectedFailure FromEntry(YamlMappingNode entry, string fileName)
    {
        string? id = null;
        string reason = "";
        foreach ((YamlNode key, YamlNode value) in entry.Children)
        {
            switch (Scalar(key, fileName))
            {
                case "id":
                    id = Scalar(value, fileName);
                    break;
                case "reason":
                    reason = value is YamlScalarNode s ? s.Value ?? "" : Scalar(value, fileName);
                    break;
                default:
                    throw new FormatException($"{fileName}:{Line(key)}: unknown key '{Scalar(key, fileName)}' (expected id and reason).");
            }
        }

        return id is null or ""
            ? throw new FormatException($"{fileName}:{Line(entry)}: the entry has no 'id'.")
            : new ExpectedFailure(id, reason, Line(entry));
    }

    private static string Scalar(YamlNode node, string fileName) =>
        node is YamlScalarNode { Value: { Length: > 0 } value } && !value.Any(char.IsWhiteSpace)
            ? value
            : throw new FormatException($"{fileName}:{Line(node)}: expected a scenario id (one word); got a {node.NodeType} '{node}'.");

    private static int Line(YamlNode node) => (int)Math.Min(node.Start.Line, int.MaxValue);
}
