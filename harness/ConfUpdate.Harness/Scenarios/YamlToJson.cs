using System.Globalization;
using System.Text.Json.Nodes;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace ConfUpdate.Harness.Scenarios;

/// <summary>
/// Converts a YAML document to a <see cref="JsonNode"/> so that it can be checked against the JSON
/// Schema, remembering the line and column of every value by its JSON pointer for error messages.
/// </summary>
internal static class YamlToJson
{
    public static (JsonNode? Root, Dictionary<string, Mark> Marks) Convert(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        var marks = new Dictionary<string, Mark>(StringComparer.Ordinal);
        if (stream.Documents.Count == 0)
        {
            return (null, marks);
        }

        return (ToNode(stream.Documents[0].RootNode, "", marks), marks);
    }

    private static JsonNode? ToNode(YamlNode node, string pointer, Dictionary<string, Mark> marks)
    {
        marks[pointer] = node.Start;
        switch (node)
        {
            case YamlMappingNode mapping:
                var obj = new JsonObject();
                foreach (KeyValuePair<YamlNode, YamlNode> pair in mapping.Children)
                {
                    string key = pair.Key is YamlScalarNode scalar ? scalar.Value ?? "" : pair.Key.ToString();
                    obj[key] = ToNode(pair.Value, pointer + "/" + Escape(key), marks);
                }

                return obj;
            case YamlSequenceNode sequence:
                var array = new JsonArray();
                int i = 0;
                foreach (YamlNode item in sequence.Children)
                {
                    array.Add(ToNode(item, pointer + "/" + i.ToString(CultureInfo.InvariantCulture), marks));
                    i++;
                }

                return array;
            case YamlScalarNode scalar:
                return Scalar(scalar);
            default:
                return null;
        }
    }

    private static JsonValue? Scalar(YamlScalarNode scalar)
    {
        string value = scalar.Value ?? "";
        if (scalar.Style is not (ScalarStyle.Plain or ScalarStyle.Any))
        {
            return JsonValue.Create(value);
        }

        // YAML 1.2 core schema for plain scalars: null, booleans, integers (0x.. too), else text.
        if (value is "" or "~" or "null" or "Null" or "NULL")
        {
            return null;
        }

        if (value is "true" or "True" or "TRUE")
        {
            return JsonValue.Create(true);
        }

        if (value is "false" or "False" or "FALSE")
        {
            return JsonValue.Create(false);
        }

        if (long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long number))
        {
            return JsonValue.Create(number);
        }

        if (value.StartsWith("0x", StringComparison.OrdinalIgnoreCase)
            && long.TryParse(value.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out long hex))
        {
            return JsonValue.Create(hex);
        }

        return JsonValue.Create(value);
    }

    /// <summary>JSON pointer escaping (RFC 6901).</summary>
    public static string Escape(string key) => key.Replace("~", "~0", StringComparison.Ordinal).Replace("/", "~1", StringComparison.Ordinal);
}
