namespace ConfUpdate.Harness.Scenarios;

/// <summary><c>parallel:</c> branches run concurrently; each branch's steps run in order.</summary>
/// <param name="Branches">The branches.</param>
[StepKey("parallel")]
public sealed record ParallelStep(IReadOnlyList<IReadOnlyList<ScenarioStep>> Branches) : StepAction
{
    /// <inheritdoc />
    public override string Describe(string conn) => $"parallel x{Branches.Count}";

    /// <inheritdoc />
    public override IEnumerable<IReadOnlyList<ScenarioStep>> Blocks => Branches;
}
