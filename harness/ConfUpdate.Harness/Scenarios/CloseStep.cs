namespace ConfUpdate.Harness.Scenarios;

/// <summary><c>close:</c> close the connection.</summary>
[StepKey("close")]
public sealed record CloseStep : StepAction
{
    /// <inheritdoc />
    public override string Describe(string conn) => $"close {conn}";
}
