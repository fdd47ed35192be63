namespace ConfUpdate.Harness.Scenarios;

/// <summary><c>repeat:</c> run steps several times.</summary>
/// <param name="Block">How often, and the steps.</param>
[StepKey("repeat")]
public sealed record RepeatStep(RepeatBlock Block) : StepAction
{
    /// <inheritdoc />
    public override string Describe(string conn) => $"repeat x{Block.Times}";

    /// <inheritdoc />
    public override IEnumerable<IReadOnlyList<ScenarioStep>> Blocks => [Block.Steps];
}
