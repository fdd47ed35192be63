namespace ConfUpdate.Harness.Scenarios;

/// <summary>
/// <c>connect_and_send:</c> connect(2) and send datagrams in the same breath, with no round trip to the kit in
/// between: the peer that writes the moment it is connected, before a server may have looked at it.
/// </summary>
/// <param name="Burst">What to send, in order, right after connect() returns.</param>
[StepKey("connect_and_send")]
public sealed record ConnectAndSendStep(IReadOnlyList<DatagramSpec> Burst) : StepAction
{
    /// <inheritdoc />
    public override string Describe(string conn) => $"connect {conn} and send {Burst.Count} at once";

    /// <inheritdoc />
    public override IEnumerable<DatagramSpec> Datagrams => Burst;

    /// <inheritdoc />
    public override bool MustSucceed => true;
}
