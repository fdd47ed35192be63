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
    private readonly RequirementIndex? _requirements;

    /// <summary>Creates a loader from the schema's text and, optionally, the requirement index to lint against.</summary>
    public ScenarioLoader(string schemaJson, RequirementIndex? requirements = null)
    {
        _schema = JsonSchema.FromText(schemaJson, new BuildOptions { SchemaRegistry = new SchemaRegistry() });
        _requirements = requirements;
    }

    /// <summary>A loader for a scenarios directory laid out as in this repository (schema in <c>schema/</c>).</summary>
    public static ScenarioLoader ForDirectory(string scenariosDirectory, RequirementIndex? requirements = null) =>
        new(File.ReadAllText(Path.Combine(scenariosDirectory, "schema", "scenario.schema.json")), requirements);

    /// <summary>Loads every <c>*.yaml</c> file of a directory (not recursive), in name order.</summary>
    /// <exception cref="ScenarioLoadException">Some file is invalid; every problem is listed.</exception>
    public IReadOnlyList<Scenario> LoadDirectory(string directory)
    {
        string[] files = Directory.GetFiles(directory, "*.yaml").Order(StringComparer.Ordinal).ToArray();
        if (files.Length == 0)
        {
            throw new ScenarioLoadException($"No *.yaml scenario files in {directory}.");
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

        using (JsonDocument document = JsonDocument.Parse(root?.ToJsonString() ?? "null"))
        {
            EvaluationResults evaluation = _schema.Evaluate(document.RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List });
            if (!evaluation.IsValid)
            {
                foreach ((string pointer, string message) in SchemaErrors(evaluation))
                {
                    errors.Add(At(file, pointer, marks, message));
                }

                return result;
            }
        }

        var list = (JsonArray)root!["scenarios"]!;
        for (int i = 0; i < list.Count; i++)
        {
            string pointer = "/scenarios/" + i.ToString(CultureInfo.InvariantCulture);
            foreach ((JsonObject expanded, int index) in Generator.Expand((JsonObject)list[i]!))
            {
                string where = index < 0 ? pointer : $"{pointer} (generated case {index})";
                try
                {
                    Scenario scenario = expanded.Deserialize<Scenario>(ScenarioJson.Options)
                        ?? throw new JsonException("The scenario is null.");
                    result.Add((scenario with { SourceFile = file }, where, marks.GetValueOrDefault(pointer)));
                }
                catch (JsonException ex)
                {
                    errors.Add(At(file, pointer, marks, $"{where}: {ex.Message}"));
                }
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

    private static IEnumerable<(string Pointer, string Message)> SchemaErrors(EvaluationResults evaluation)
    {
        var found = new List<(string, string)>();
        foreach (EvaluationResults detail in evaluation.Details ?? [])
        {
            if (detail.Errors is null)
            {
                continue;
            }

            foreach (KeyValuePair<string, string> error in detail.Errors)
            {
                found.Add((detail.InstanceLocation.ToString(), $"{error.Value} (schema {detail.EvaluationPath})"));
            }
        }

        if (found.Count == 0)
        {
            found.Add(("", "The document does not match the scenario schema."));
        }

        // The deepest locations are the most precise; oneOf/anyOf wrappers repeat them higher up.
        int deepest = found.Max(f => f.Item1.Count(c => c == '/'));
        return found.Where(f => f.Item1.Count(c => c == '/') >= Math.Min(deepest, 3)).Distinct().Take(8);
    }
}
