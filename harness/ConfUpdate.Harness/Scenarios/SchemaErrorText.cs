using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace ConfUpdate.Harness.Scenarios;

/// <summary>
/// Says a JSON Schema error about a scenario file in plain words: where it is (step 2 of scenario <c>x.y</c>)
/// and what is wrong, with "did you mean" for a misspelt key or value, instead of the validator's
/// "All values fail against the false schema".
/// </summary>
internal sealed class SchemaErrorText
{
    private readonly JsonNode _schema;

    /// <summary>Creates the translator for one schema (its text, as the loader validates with it).</summary>
    public SchemaErrorText(string schemaJson) => _schema = JsonNode.Parse(schemaJson) ?? new JsonObject();

    /// <summary>
    /// The plain message for an error at <paramref name="instancePointer"/> of <paramref name="document"/>, raised by
    /// <paramref name="keyword"/> of the subschema at <paramref name="schemaPointer"/> (a pointer into the schema; for
    /// <c>additionalProperties</c>, the false schema below it), or
    /// null when the keyword is not one this class knows (the caller keeps the validator's words).
    /// </summary>
    public string? Describe(JsonNode? document, string instancePointer, string schemaPointer, string keyword)
    {
        string[] parts = Segments(instancePointer);
        JsonNode? value = Resolve(document, parts);
        JsonNode? subschema = Resolve(_schema, Segments(schemaPointer));
        JsonNode? argument = subschema?[keyword];
        string where = Where(document, parts);
        switch (keyword)
        {
            case "additionalProperties" when parts.Length > 0:
                string key = parts[^1];
                // The false schema sits under the object schema's additionalProperties, beside the valid names.
                int owner = schemaPointer.LastIndexOf("/additionalProperties", StringComparison.Ordinal);
                List<string> names = owner < 0 ? [] : PropertyNames(Resolve(_schema, Segments(schemaPointer[..owner]).Append("properties")));
                // Said of the object that holds the key: "in step 2 of scenario `x`", not "… of its value".
                return $"unknown key `{key}`{Where(document, parts[..^1])}" + (names.Count > 0 ? $"; did you mean `{Closest.To(key, names)}`? (valid: {string.Join(", ", names)})" : "");
            case "enum":
                List<string> allowed = argument is JsonArray values ? values.Select(v => v?.ToString() ?? "null").ToList() : [];
                string found = value?.ToString() ?? "null";
                return $"{Field(parts)}{where} is `{found}`, which is not one of: {string.Join(", ", allowed)}"
                    + (allowed.Count > 0 ? $"; did you mean `{Closest.To(found, allowed)}`?" : "");
            case "type":
                return $"{Field(parts)}{where} is {Kind(value)} `{value?.ToJsonString()}`; expected {TypeWords(argument)}";
            case "required":
                List<string> required = argument is JsonArray list ? list.Select(v => v?.ToString() ?? "").ToList() : [];
                List<string> missing = required.Where(r => value is JsonObject o && !o.ContainsKey(r)).ToList();
                return missing.Count == 0 ? null : $"{Field(parts)}{where} lacks {string.Join(", ", missing.Select(m => $"`{m}`"))}, which must be given";
            default:
                return null;
        }
    }

    /// <summary>" in step 2 of scenario `x.y`" for <c>/scenarios/0/steps/1/...</c>; steps inside steps nest.</summary>
    private static string Where(JsonNode? document, string[] parts)
    {
        if (parts.Length < 2 || parts[0] != "scenarios" || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out int index))
        {
            return parts.Length == 0 ? " at the top of the file" : "";
        }

        string id = Resolve(document, ["scenarios", parts[1], "id"]) is JsonValue v && v.TryGetValue(out string? text)
            ? $"scenario `{text}`"
            : $"scenario {index + 1} of the file";
        var steps = new StringBuilder();
        for (int i = 2; i + 1 < parts.Length; i++)
        {
            if (parts[i] == "steps" && int.TryParse(parts[i + 1], NumberStyles.None, CultureInfo.InvariantCulture, out int step))
            {
                steps.Insert(0, $"step {step + 1} of ");
                i++;
            }
        }

        return $" in {steps}{id}";
    }

    /// <summary>The offending field below its step or scenario, as <c>`request.op`</c> followed by a space, or "" for the step itself.</summary>
    private static string Field(string[] parts)
    {
        int start = 0;
        for (int i = 0; i + 1 < parts.Length; i++)
        {
            if ((parts[i] == "steps" || parts[i] == "scenarios") && int.TryParse(parts[i + 1], NumberStyles.None, CultureInfo.InvariantCulture, out _))
            {
                start = i + 2;
            }
        }

        string field = string.Join('.', parts.Skip(start).Select(p => p.All(char.IsAsciiDigit) ? $"[{p}]" : p)).Replace(".[", "[", StringComparison.Ordinal);
        return field.Length == 0 ? "the value" : $"`{field}`";
    }

    private static string Kind(JsonNode? value) => value switch
    {
        null => "null",
        JsonObject => "an object",
        JsonArray => "a list",
        JsonValue v when v.TryGetValue(out string? _) => "text",
        JsonValue v when v.TryGetValue(out bool _) => "a boolean",
        _ => "a number",
    };

    private static string TypeWords(JsonNode? type)
    {
        IEnumerable<string> names = type is JsonArray many ? many.Select(t => t?.ToString() ?? "") : [type?.ToString() ?? "?"];
        return string.Join(" or ", names.Select(n => n switch
        {
            "object" => "a mapping",
            "array" => "a list",
            "string" => "text",
            "integer" => "a whole number",
            _ => "a " + n,
        }));
    }

    private static List<string> PropertyNames(JsonNode? properties) =>
        properties is JsonObject o ? [.. o.Select(p => p.Key)] : [];

    private static string[] Segments(string pointer) =>
        pointer.Length == 0 ? [] : pointer.TrimStart('/').Split('/').Select(s => s.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal)).ToArray();

    private static JsonNode? Resolve(JsonNode? node, IEnumerable<string> parts)
    {
        foreach (string part in parts)
        {
            node = node switch
            {
                JsonObject o => o[part],
                JsonArray a when int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out int i) && i < a.Count => a[i],
                _ => null,
            };
        }

        return node;
    }
}
