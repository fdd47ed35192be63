namespace ConfUpdate.Harness.Scenarios;

/// <summary><c>connect:</c> connect(2) to the server's socket.</summary>
/// <param name="Options">The socket type.</param>
[StepKey("connect")]
public sealed record ConnectStep(ConnectOptions Options) : StepAction
{
    /// <inheritdoc />
    public override string Describe(string conn) => $"connect {conn} ({Options.Type ?? "seqpacket"})";

    /// <inheritdoc />
    public override bool MustSucceed => true;
}
