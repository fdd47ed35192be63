using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using ConfUpdate.Harness.Scenarios;

namespace ConfUpdate.Harness.Tests.Scenarios;

/// <summary>
/// The scenario format has one source, the JSON Schema: every property of a definition is a member of the
/// record it binds to (and, for steps, a <see cref="StepAction"/> subtype's key) and has a row or mention in
/// scenarios/README.md; and every member of those records is a property of the schema.
/// </summary>
public sealed class ScenarioFormatTests
{
    // Schema definition -> the record it binds to.
    private static readonly Dictionary<string, Type> s_records = new(StringComparer.Ordinal)
    {
        ["scenario"] = typeof(Scenario),
        ["server"] = typeof(ServerSetup),
        ["target"] = typeof(TargetSetup),
        ["datagram"] = typeof(DatagramSpec),
        ["content"] = typeof(ContentSpec),
        ["expect"] = typeof(Expectation),
        ["check"] = typeof(Check),
    };

    // Not one-to-one on purpose: "generate" is expanded by the loader before binding; SourceFile is where a
    // scenario came from, not something a file says.
    private static readonly HashSet<string> s_loaderOnly = new(StringComparer.Ordinal) { "scenario.generate", "scenario.source_file" };

    private static readonly JsonObject s_definitions = LoadDefinitions();
    private static readonly string s_readme = File.ReadAllText(Path.Combine(KitPaths.ScenariosDirectory, "README.md"));

    public static IEnumerable<string> Definitions => s_records.Keys.Append("step");

    [TestCaseSource(nameof(Definitions))]
    public void SchemaProperties_AndRecordMembers_AreTheSame(string definition)
    {
        IEnumerable<string> schema = Properties(definition).Where(p => !s_loaderOnly.Contains($"{definition}.{p}"));
        IEnumerable<string> model = definition == "step"
            ? Members(typeof(ScenarioStep)).Where(m => m != "action").Concat(StepBinding.Actions.Keys)
            : Members(s_records[definition]).Where(m => !s_loaderOnly.Contains($"{definition}.{m}"));

        Assert.That(model.Order(StringComparer.Ordinal), Is.EqualTo(schema.Order(StringComparer.Ordinal)), $"$defs/{definition} vs its record");
    }

    [TestCaseSource(nameof(Definitions))]
    public void SchemaProperties_AreDocumentedInTheReadme(string definition)
    {
        string[] undocumented = [.. Properties(definition).Where(p => !Regex.IsMatch(s_readme, $@"(`\{{?{Regex.Escape(p)}[`:\s({{\[]|^\s*-?\s*{Regex.Escape(p)}:)", RegexOptions.Multiline))];

        Assert.That(undocumented, Is.Empty, $"properties of $defs/{definition} that scenarios/README.md does not mention");
    }

    [Test]
    public void EveryStepAction_HasAKeyInTheSchemasOneOf()
    {
        JsonArray oneOf = s_definitions["step"]!["oneOf"]!.AsArray();
        string[] required = [.. oneOf.Select(branch => branch!["required"]![0]!.GetValue<string>())];

        Assert.That(required.Order(StringComparer.Ordinal), Is.EqualTo(StepBinding.Actions.Keys.Order(StringComparer.Ordinal)));
    }

    private static IEnumerable<string> Properties(string definition)
    {
        JsonNode node = s_definitions[definition]!;
        // content is "text" or an object: the object branch has the properties.
        JsonObject? properties = node["properties"]?.AsObject()
            ?? node["oneOf"]?.AsArray().Select(b => b!["properties"]).OfType<JsonObject>().SingleOrDefault();
        return properties?.Select(p => p.Key) ?? [];
    }

    private static IEnumerable<string> Members(Type record) => record
        .GetProperties(BindingFlags.Public | BindingFlags.Instance)
        .Where(p => p.SetMethod is not null && p.Name != "EqualityContract")
        .Select(p => JsonNamingPolicy.SnakeCaseLower.ConvertName(p.Name));

    private static JsonObject LoadDefinitions() =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(KitPaths.ScenariosDirectory, "schema", "scenario.schema.json")))!["$defs"]!.AsObject();
}
