namespace ConfUpdate.Harness.Scenarios;

/// <summary><c>server:</c> act on the server under test.</summary>
/// <param name="Action">kill, terminate, start or restart.</param>
[StepKey("server")]
public sealed record ServerStep(ServerAction Action) : StepAction
{
    /// <inheritdoc />
    public override string Describe(string conn) => $"server {Action.ToString().ToLowerInvariant()}";

    /// <inheritdoc />
    public override bool MustSucceed => true;
}
