namespace ConfUpdate.Harness.Scenarios;

/// <summary><c>recv:</c> receive datagrams.</summary>
/// <param name="Options">How many.</param>
[StepKey("recv")]
public sealed record ReceiveStep(ReceiveOptions Options) : StepAction
{
    /// <inheritdoc />
    public override string Describe(string conn) => $"recv on {conn}";
}
