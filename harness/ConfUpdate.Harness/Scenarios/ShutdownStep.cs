namespace ConfUpdate.Harness.Scenarios;

/// <summary><c>shutdown:</c> shutdown(2) one direction.</summary>
/// <param name="How">read, write or both.</param>
[StepKey("shutdown")]
public sealed record ShutdownStep(ShutdownDirection How) : StepAction
{
    /// <inheritdoc />
    public override string Describe(string conn) => $"shutdown({How.ToString().ToLowerInvariant()}) {conn}";
}
