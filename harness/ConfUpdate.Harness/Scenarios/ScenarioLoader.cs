using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Json.Schema;
using YamlDotNet.Core;

namespace ConfUpdate.Harness.Scenarios;

/// <summary>
/// Loads scenario files: YAML is parsed, checked against <c>scenarios/schema/scenario.schema.json</c>,
/// its <c>generate</c> blocks expanded, bound to <see cref="Scenario"/> records and linted (unique ids,
/// cited requirements exist in SPEC.md). Every error names the file and the place.
/// </summary>
public sealed class ScenarioLoader
{
    private readonly JsonSchema _schema;
    private readonly SchemaErrorText _schemaText;
    private readonly RequirementIndex? _requirements;

    /// <summary>Creates a loader from the schema's text and, optionally, the requirement index to lint against.</summary>
    public ScenarioLoader(string schemaJson, RequirementIndex? requirements = null)
    {
        _schema = JsonSchema.FromText(schemaJson, new BuildOptions { SchemaRegistry = new SchemaRegistry() });
        _schemaText = new SchemaErrorText(schemaJson);
        _requirements = requirements;
    }

    /// <summary>A loader for a scenarios directory laid out as in this repository (schema in <c>schema/</c>).</summary>
    public static ScenarioLoader ForDirectory(string scenariosDirectory, RequirementIndex? requirements = null) =>
        new(File.ReadAllText(Path.Combine(scenariosDirectory, "schema", "scenario.schema.json")), requirements);

    /// <summary>Loads every <c>*.yaml</c> and <c>*.yml</c> file of a directory (not recursive), in name order.</summary>
    /// <exception cref="ScenarioLoadException">Some file is invalid; every problem is listed.</exception>
    public IReadOnlyList<Scenario> LoadDirectory(string directory)
    {
        // Both YAML spellings are read: a file silently skipped for its extension is a scenario that never runs.
        string[] files = Directory.GetFiles(directory, "*.yaml").Concat(Directory.GetFiles(directory, "*.yml"))
            .Order(StringComparer.Ordinal).ToArray();
        if (files.Length == 0)
        {
            throw new ScenarioLoadException($"No *.yaml or *.yml scenario files in {directory}.");
        }

        return LoadFiles(files);
    }

    /// <summary>Loads the given files and lints them together (ids unique across files).</summary>
    /// <exception cref="ScenarioLoadException">Some file is invalid; every problem is listed.</exception>
    public IReadOnlyList<Scenario> LoadFiles(IEnumerable<string> files)
    {
        ArgumentNullException.ThrowIfNull(files);
        var errors = new List<ScenarioLoadError>();
        var scenarios = new List<(Scenario Scenario, string Pointer, Mark Mark)>();
        foreach (string file in files)
        {
            scenarios.AddRange(Parse(File.ReadAllText(file), file, errors));
        }

        Lint(scenarios, errors);
        return errors.Count > 0 ? throw new ScenarioLoadException(errors) : scenarios.Select(s => s.Scenario).ToList();
    }

    /// <summary>Loads scenarios from YAML text; <paramref name="fileName"/> is used in messages.</summary>
    /// <exception cref="ScenarioLoadException">The text is invalid; every problem is listed.</exception>
    public IReadOnlyList<Scenario> LoadText(string yaml, string fileName)
    {
        var errors = new List<ScenarioLoadError>();
        var scenarios = Parse(yaml, fileName, errors).ToList();
        Lint(scenarios, errors);
        return errors.Count > 0 ? throw new ScenarioLoadException(errors) : scenarios.Select(s => s.Scenario).ToList();
    }

    private List<(Scenario Scenario, string Pointer, Mark Mark)> Parse(string yaml, string file, List<ScenarioLoadError> errors)
    {
        var result = new List<(Scenario Scenario, string Pointer, Mark Mark)>();
        JsonNode? root;
        Dictionary<string, Mark> marks;
        try
        {
            (root, marks) = YamlToJson.Convert(yaml);
        }
        catch (YamlException ex)
        {
            errors.Add(new ScenarioLoadError(file, "", (int)ex.Start.Line, (int)ex.Start.Column, "YAML syntax: " + (ex.InnerException?.Message ?? ex.Message)));
            return result;
        }

        // Generation first, so that templates ("{size}" where a number goes) are checked once expanded;
        // each expanded scenario remembers the template it came from, for error positions.
        var origins = new List<(string Pointer, int Case)>();
        JsonNode? document = root;
        if (root is JsonObject { } obj && obj["scenarios"] is JsonArray templates)
        {
            var expanded = new JsonArray();
            for (int i = 0; i < templates.Count; i++)
            {
                string pointer = "/scenarios/" + i.ToString(CultureInfo.InvariantCulture);
                IEnumerable<(JsonObject, int)> cases = templates[i] is JsonObject template ? Generator.Expand(template) : [((JsonObject)null!, -1)];
                foreach ((JsonObject scenario, int index) in cases)
                {
                    expanded.Add(scenario?.DeepClone() ?? templates[i]?.DeepClone());
                    origins.Add((pointer, index));
                }
            }

            var copy = (JsonObject)obj.DeepClone();
            copy["scenarios"] = expanded;
            document = copy;
        }

        // Scenarios the schema rejects are left out; the others are still bound and linted, so that mistakes
        // of meaning are reported in the same pass as the schema errors.
        var rejected = new HashSet<int>();
        using (JsonDocument json = JsonDocument.Parse(document?.ToJsonString() ?? "null"))
        {
            EvaluationResults evaluation = _schema.Evaluate(json.RootElement, new EvaluationOptions { OutputFormat = OutputFormat.Hierarchical });
            if (!evaluation.IsValid)
            {
                foreach (SchemaError error in SchemaErrors(evaluation))
                {
                    (string original, string note) = MapToTemplate(error.Pointer, origins);
                    string message = _schemaText.Describe(document, error.Pointer, error.SchemaPointer, error.Keyword)
                        ?? $"{error.Message} (schema {error.EvaluationPath})";
                    errors.Add(At(file, original, marks, note + message));
                    if (ScenarioIndex(error.Pointer) is int index)
                    {
                        rejected.Add(index);
                    }
                    else
                    {
                        return result;
                    }
                }
            }
        }

        if (document?["scenarios"] is not JsonArray list)
        {
            return result;
        }

        for (int i = 0; i < list.Count; i++)
        {
            if (rejected.Contains(i))
            {
                continue;
            }

            (string pointer, int index) = origins[i];
            string where = index < 0 ? pointer : $"{pointer} (generated case {index})";
            try
            {
                Scenario scenario = list[i].Deserialize<Scenario>(ScenarioJson.Options)
                    ?? throw new JsonException("The scenario is null.");
                result.Add((scenario with { SourceFile = file }, where, marks.GetValueOrDefault(pointer)));
            }
            catch (JsonException ex)
            {
                errors.Add(At(file, pointer, marks, $"{where}: {ex.Message}"));
            }
        }

        return result;
    }

    private void Lint(List<(Scenario Scenario, string Pointer, Mark Mark)> scenarios, List<ScenarioLoadError> errors)
    {
        var seen = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach ((Scenario scenario, string pointer, Mark mark) in scenarios)
        {
            ScenarioLoadError Error(string message) =>
                new(scenario.SourceFile, pointer, (int)mark.Line, (int)mark.Column, message);

            if (seen.TryGetValue(scenario.Id, out string? first))
            {
                errors.Add(Error($"Duplicate scenario id '{scenario.Id}'; first defined in {first}."));
            }
            else
            {
                seen[scenario.Id] = $"{scenario.SourceFile} {pointer}";
            }

            foreach (string requirement in scenario.Requirements)
            {
                if (_requirements is not null && !_requirements.Contains(requirement))
                {
                    errors.Add(Error($"Scenario '{scenario.Id}' cites requirement '{requirement}', which is not in SPEC.md's requirement index."));
                }
            }

            foreach (string problem in ScenarioLint.Check(scenario))
            {
                errors.Add(Error($"Scenario '{scenario.Id}': {problem}"));
            }
        }
    }

    private static ScenarioLoadError At(string file, string pointer, Dictionary<string, Mark> marks, string message)
    {
        // Walk up to the nearest pointer with a known position (a missing property has none).
        string probe = pointer;
        while (!marks.ContainsKey(probe) && probe.Length > 0)
        {
            probe = probe[..probe.LastIndexOf('/')];
        }

        Mark mark = marks.GetValueOrDefault(probe);
        return new ScenarioLoadError(file, pointer, (int)mark.Line, (int)mark.Column, message);
    }

    /// <summary>Turns <c>/scenarios/7/steps/0</c> of the expanded document back into the template's pointer.</summary>
    private static (string Pointer, string Note) MapToTemplate(string pointer, List<(string Pointer, int Case)> origins)
    {
        string[] parts = pointer.Split('/');
        if (parts.Length > 2 && parts[1] == "scenarios" && int.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out int i) && i < origins.Count)
        {
            (string template, int index) = origins[i];
            string rest = string.Join('/', parts.Skip(3));
            return (template + (rest.Length > 0 ? "/" + rest : ""), index < 0 ? "" : $"(generated case {index}) ");
        }

        return (pointer, "");
    }

    /// <summary>The scenario index of a pointer below <c>/scenarios/N</c>, or null for the document itself.</summary>
    private static int? ScenarioIndex(string pointer)
    {
        string[] parts = pointer.Split('/');
        return parts.Length > 2 && parts[1] == "scenarios" && int.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out int i) ? i : null;
    }

    private static List<SchemaError> SchemaErrors(EvaluationResults evaluation)
    {
        var found = new List<SchemaError>();
        Collect(evaluation, found);
        if (found.Count == 0)
        {
            found.Add(new SchemaError("", "", "", "", "The document does not match the scenario schema."));
        }

        // A step matches oneOf by its action key: "required property X missing" from the branches of the
        // other actions is noise when a more telling error exists at or below the same place.
        var telling = found.Where(f => f.Keyword != "required").ToList();
        var kept = found.Where(f => f.Keyword != "required" || !telling.Any(t => t.Pointer.StartsWith(f.Pointer, StringComparison.Ordinal))).ToList();
        return kept.Distinct().Take(20).ToList();
    }

    private static void Collect(EvaluationResults node, List<SchemaError> found)
    {
        if (node.IsValid)
        {
            return;
        }

        foreach (KeyValuePair<string, string> error in node.Errors ?? new Dictionary<string, string>())
        {
            // Errors are keyed by keyword; a false schema (additionalProperties: false) reports under "".
            string path = node.EvaluationPath.ToString();
            string keyword = error.Key.Length > 0 ? error.Key : path[(path.LastIndexOf('/') + 1)..];
            // The absolute location's fragment points at the subschema that owns the keyword.
            string schemaPointer = Uri.UnescapeDataString(node.SchemaLocation.Fragment.TrimStart('#'));
            found.Add(new SchemaError(node.InstanceLocation.ToString(), keyword, schemaPointer, path, error.Value));
        }

        foreach (EvaluationResults child in node.Details ?? [])
        {
            Collect(child, found);
        }
    }

    private sealed record SchemaError(string Pointer, string Keyword, string SchemaPointer, string EvaluationPath, string Message);
}
