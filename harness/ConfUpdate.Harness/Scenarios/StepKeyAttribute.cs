namespace ConfUpdate.Harness.Scenarios;

/// <summary>
/// The YAML key a <see cref="StepAction"/> subtype is bound from. The key's value binds to the subtype's one
/// constructor parameter; a subtype without parameters is a flag written <c>key: true</c>.
/// </summary>
/// <param name="key">The key in <c>scenarios/schema/scenario.schema.json</c>'s step definition.</param>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class StepKeyAttribute(string key) : Attribute
{
    /// <summary>The key, snake_case as in the scenario files.</summary>
    public string Key { get; } = key;
}
