namespace ConfUpdate.Harness.Scenarios;

/// <summary><c>sleep_ms:</c> wait, in milliseconds.</summary>
/// <param name="Milliseconds">How long.</param>
[StepKey("sleep_ms")]
public sealed record SleepStep(int Milliseconds) : StepAction
{
    /// <inheritdoc />
    public override string Describe(string conn) => $"sleep {Milliseconds} ms";
}
