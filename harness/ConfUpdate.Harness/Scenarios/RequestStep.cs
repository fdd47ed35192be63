namespace ConfUpdate.Harness.Scenarios;

/// <summary><c>request:</c> send one datagram and read its reply.</summary>
/// <param name="Datagram">What to send.</param>
[StepKey("request")]
public sealed record RequestStep(DatagramSpec Datagram) : StepAction
{
    /// <inheritdoc />
    public override string Describe(string conn) => $"request on {conn}";

    /// <inheritdoc />
    public override IEnumerable<DatagramSpec> Datagrams => [Datagram];
}
