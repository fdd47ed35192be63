namespace ConfUpdate.Harness.Scenarios;

/// <summary><c>burst:</c> send datagrams back-to-back, then read the replies.</summary>
/// <param name="Burst">What to send, in order.</param>
[StepKey("burst")]
public sealed record BurstStep(IReadOnlyList<DatagramSpec> Burst) : StepAction
{
    /// <inheritdoc />
    public override string Describe(string conn) => $"burst of {Burst.Count} on {conn}";

    /// <inheritdoc />
    public override IEnumerable<DatagramSpec> Datagrams => Burst;
}
