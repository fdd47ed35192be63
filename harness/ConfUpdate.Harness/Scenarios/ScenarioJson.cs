using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace ConfUpdate.Harness.Scenarios;

/// <summary>How validated scenario JSON binds to the model: snake_case keys, and the format's shorthands.</summary>
internal static class ScenarioJson
{
    public static JsonSerializerOptions Options { get; } = Create();

    private static JsonSerializerOptions Create()
    {
        var options = new JsonSerializerOptions
        {
            PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
            UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
            RespectRequiredConstructorParameters = true,
        };
        options.Converters.Add(new LenientString());
        options.Converters.Add(new StringOrList());
        options.Converters.Add(new ContentShorthand());
        options.Converters.Add(new ConnectShorthand());
        options.Converters.Add(new ReceiveShorthand());
        options.Converters.Add(new StepBinding());
        return options;
    }

    /// <summary>Numbers where text is expected (sizes, audit values) become their text.</summary>
    private sealed class LenientString : JsonConverter<string>
    {
        public override string? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => reader.TokenType switch
        {
            JsonTokenType.String => reader.GetString(),
            JsonTokenType.Number => JsonNode.Parse(ref reader)!.ToJsonString(),
            JsonTokenType.True => "true",
            JsonTokenType.False => "false",
            _ => throw new JsonException($"Expected text, found {reader.TokenType}."),
        };

        public override void Write(Utf8JsonWriter writer, string value, JsonSerializerOptions options) => writer.WriteStringValue(value);
    }

    /// <summary>A single string where a list of strings is expected (<c>error: EPIPE</c>).</summary>
    private sealed class StringOrList : JsonConverter<IReadOnlyList<string>>
    {
        public override IReadOnlyList<string>? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            JsonNode? node = JsonNode.Parse(ref reader);
            return node switch
            {
                JsonArray array => array.Select(n => n is JsonValue v && v.TryGetValue(out string? s) ? s : n?.ToJsonString() ?? "").ToList(),
                JsonValue value => [value.TryGetValue(out string? s) ? s : value.ToJsonString()],
                _ => [],
            };
        }

        public override void Write(Utf8JsonWriter writer, IReadOnlyList<string> value, JsonSerializerOptions options) =>
            JsonSerializer.Serialize(writer, value.ToArray(), options);
    }

    /// <summary><c>content: "text"</c> is short for <c>content: {text: "text"}</c>.</summary>
    private sealed class ContentShorthand : JsonConverter<ContentSpec>
    {
        public override ContentSpec? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            JsonNode? node = JsonNode.Parse(ref reader);
            if (node is JsonValue value)
            {
                return new ContentSpec { Text = value.TryGetValue(out string? s) ? s : value.ToJsonString() };
            }

            if (node is not JsonObject obj)
            {
                return null;
            }

            return new ContentSpec
            {
                Text = Text(obj["text"]),
                Hex = Text(obj["hex"]),
                Size = Text(obj["size"]),
                Pattern = Text(obj["pattern"]),
            };
        }

        public override void Write(Utf8JsonWriter writer, ContentSpec value, JsonSerializerOptions options) =>
            JsonSerializer.Serialize(writer, new { value.Text, value.Hex, value.Size, value.Pattern });
    }

    /// <summary><c>connect: true</c> or <c>connect: stream</c>.</summary>
    private sealed class ConnectShorthand : JsonConverter<ConnectOptions>
    {
        public override ConnectOptions? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            JsonNode? node = JsonNode.Parse(ref reader);
            return node switch
            {
                JsonObject obj => new ConnectOptions { Type = Text(obj["type"]) },
                JsonValue value when value.TryGetValue(out string? type) => new ConnectOptions { Type = type },
                _ => new ConnectOptions(),
            };
        }

        public override void Write(Utf8JsonWriter writer, ConnectOptions value, JsonSerializerOptions options) =>
            writer.WriteStringValue(value.Type ?? "seqpacket");
    }

    /// <summary><c>recv: true</c> or <c>recv: 3</c>.</summary>
    private sealed class ReceiveShorthand : JsonConverter<ReceiveOptions>
    {
        public override ReceiveOptions? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            JsonNode? node = JsonNode.Parse(ref reader);
            return node switch
            {
                JsonObject obj when obj["count"] is JsonValue count => new ReceiveOptions { Count = count.GetValue<int>() },
                JsonValue value when value.TryGetValue(out int count) => new ReceiveOptions { Count = count },
                _ => new ReceiveOptions(),
            };
        }

        public override void Write(Utf8JsonWriter writer, ReceiveOptions value, JsonSerializerOptions options) =>
            writer.WriteNumberValue(value.Count);
    }

    private static string? Text(JsonNode? node) =>
        node is null ? null : node is JsonValue v && v.TryGetValue(out string? s) ? s : node.ToJsonString();
}
