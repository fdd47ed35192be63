using System.Collections.Frozen;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace ConfUpdate.Harness.Scenarios;

/// <summary>
/// Binds a step object: <c>as</c>, <c>conn</c>, <c>timeout_ms</c> and <c>expect</c> are the step's own, the one
/// remaining key names its <see cref="StepAction"/> subtype (by <see cref="StepKeyAttribute"/>), and that key's
/// value binds to the subtype's constructor parameter. The schema has already checked the shape; this only maps.
/// </summary>
internal sealed class StepBinding : JsonConverter<ScenarioStep>
{
    private static readonly FrozenSet<string> s_stepKeys = FrozenSet.ToFrozenSet(["as", "conn", "timeout_ms", "expect"], StringComparer.Ordinal);

    /// <summary>Every action key and the constructor its value binds to.</summary>
    public static FrozenDictionary<string, ConstructorInfo> Actions { get; } = typeof(StepAction).Assembly.GetTypes()
        .Where(type => type.IsSubclassOf(typeof(StepAction)) && !type.IsAbstract)
        .ToFrozenDictionary(
            type => type.GetCustomAttribute<StepKeyAttribute>()?.Key
                ?? throw new InvalidOperationException($"{type.Name} is a step action without [StepKey]."),
            type => type.GetConstructors().Single(),
            StringComparer.Ordinal);

    public override ScenarioStep Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (JsonNode.Parse(ref reader) is not JsonObject step)
        {
            throw new JsonException("A step is an object with one action key.");
        }

        string[] actionKeys = [.. step.Select(p => p.Key).Where(k => !s_stepKeys.Contains(k))];
        if (actionKeys.Length != 1 || !Actions.TryGetValue(actionKeys[0], out ConstructorInfo? constructor))
        {
            throw new JsonException(
                $"A step needs exactly one action key (one of {string.Join(", ", Actions.Keys.Order(StringComparer.Ordinal))}); found {(actionKeys.Length == 0 ? "none" : string.Join(", ", actionKeys))}.");
        }

        JsonNode? value = step[actionKeys[0]];
        ParameterInfo[] parameters = constructor.GetParameters();
        object action = parameters.Length == 0
            ? value is JsonValue flag && flag.TryGetValue(out bool set) && set
                ? constructor.Invoke([])
                : throw new JsonException($"'{actionKeys[0]}' takes the value true.")
            : constructor.Invoke([value.Deserialize(parameters[0].ParameterType, options)
                ?? throw new JsonException($"'{actionKeys[0]}' needs a value.")]);

        var bound = new ScenarioStep { Action = (StepAction)action };
        return bound with
        {
            As = step["as"]?.GetValue<string>() ?? bound.As,
            Conn = step["conn"]?.GetValue<string>() ?? bound.Conn,
            TimeoutMs = step["timeout_ms"]?.GetValue<int>() ?? bound.TimeoutMs,
            Expect = step["expect"].Deserialize<Expectation>(options),
        };
    }

    public override void Write(Utf8JsonWriter writer, ScenarioStep value, JsonSerializerOptions options) =>
        throw new NotSupportedException("Scenarios are read, never written.");
}
