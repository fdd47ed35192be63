namespace ConfUpdate.Harness.Scenarios;

/// <summary><c>client:</c> run the reference client CLI as this role.</summary>
/// <param name="Run">Its arguments and input file.</param>
[StepKey("client")]
public sealed record ClientStep(ClientRun Run) : StepAction
{
    /// <inheritdoc />
    public override string Describe(string conn) => $"confupdate {string.Join(' ', Run.Args)}";
}
