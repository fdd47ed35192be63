namespace ConfUpdate.Harness.Scenarios;

/// <summary><c>send:</c> send one datagram without reading.</summary>
/// <param name="Datagram">What to send.</param>
[StepKey("send")]
public sealed record SendStep(DatagramSpec Datagram) : StepAction
{
    /// <inheritdoc />
    public override string Describe(string conn) => $"send on {conn}";

    /// <inheritdoc />
    public override IEnumerable<DatagramSpec> Datagrams => [Datagram];
}
