using System.Text;
using System.Text.Json.Nodes;

namespace ConfUpdate.Harness.Scenarios;

/// <summary>
/// Expands a scenario's <c>generate</c> block: the template is copied once per entry of <c>sizes</c>
/// (variable <c>size</c>) or of <c>vars</c> (any variables), with <c>{name}</c> replaced everywhere.
/// A string that is exactly <c>{name}</c> takes the variable's value as is (number, object...); in the
/// id, values are turned into id-safe text (<c>max+1</c> becomes <c>max-plus-1</c>).
/// </summary>
internal static class Generator
{
    public static IEnumerable<(JsonObject Scenario, int Index)> Expand(JsonObject template)
    {
        if (template["generate"] is not JsonObject generate)
        {
            yield return (template, -1);
            yield break;
        }

        var cases = new List<JsonObject>();
        if (generate["sizes"] is JsonArray sizes)
        {
            cases.AddRange(sizes.Select(s => new JsonObject { ["size"] = s?.DeepClone() }));
        }

        if (generate["vars"] is JsonArray vars)
        {
            cases.AddRange(vars.OfType<JsonObject>().Select(v => (JsonObject)v.DeepClone()));
        }

        for (int i = 0; i < cases.Count; i++)
        {
            var copy = (JsonObject)template.DeepClone();
            copy.Remove("generate");
            yield return ((JsonObject)Substitute(copy, cases[i], inId: false)!, i);
        }
    }

    private static JsonNode? Substitute(JsonNode? node, JsonObject vars, bool inId)
    {
        switch (node)
        {
            case JsonObject obj:
                var result = new JsonObject();
                foreach (KeyValuePair<string, JsonNode?> pair in obj.ToList())
                {
                    result[pair.Key] = Substitute(pair.Value?.DeepClone(), vars, pair.Key == "id");
                }

                return result;
            case JsonArray array:
                return new JsonArray(array.Select(item => Substitute(item?.DeepClone(), vars, inId)).ToArray());
            case JsonValue value when value.TryGetValue(out string? text):
                foreach (KeyValuePair<string, JsonNode?> variable in vars)
                {
                    string placeholder = "{" + variable.Key + "}";
                    if (!inId && text == placeholder)
                    {
                        return variable.Value?.DeepClone();
                    }

                    string replacement = ValueText(variable.Value);
                    text = text.Replace(placeholder, inId ? Slug(replacement) : replacement, StringComparison.Ordinal);
                }

                return JsonValue.Create(text);
            default:
                return node;
        }
    }

    private static string ValueText(JsonNode? value) =>
        value is JsonValue v && v.TryGetValue(out string? s) ? s : value?.ToJsonString() ?? "null";

    /// <summary>Id-safe text for a value: <c>max+1</c> becomes <c>max-plus-1</c>, <c>max-1</c> <c>max-minus-1</c>, <c>2*max</c> <c>2x-max</c>.</summary>
    public static string Slug(string value)
    {
        var builder = new StringBuilder();
        for (int i = 0; i < value.Length; i++)
        {
            char c = value[i];
            bool minus = c == '-' && i + 1 < value.Length && char.IsAsciiDigit(value[i + 1]) && i > 0;
            builder.Append(c switch
            {
                '+' => "-plus-",
                '-' when minus => "-minus-",
                '*' => "x-",
                _ when char.IsAsciiLetterOrDigit(c) || c is '_' or '.' => c.ToString(),
                _ => "-",
            });
        }

        return builder.ToString().Trim('-').Replace("--", "-", StringComparison.Ordinal).ToLowerInvariant();
    }
}
