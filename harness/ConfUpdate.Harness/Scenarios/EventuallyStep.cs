namespace ConfUpdate.Harness.Scenarios;

/// <summary><c>eventually:</c> steps retried until they all match, for a state the server reaches asynchronously.</summary>
/// <param name="Block">The steps and how long to keep trying.</param>
[StepKey("eventually")]
public sealed record EventuallyStep(EventuallyBlock Block) : StepAction
{
    /// <inheritdoc />
    public override string Describe(string conn) => $"eventually within {Block.WithinMs} ms";

    /// <inheritdoc />
    public override IEnumerable<IReadOnlyList<ScenarioStep>> Blocks => [Block.Steps];
}
