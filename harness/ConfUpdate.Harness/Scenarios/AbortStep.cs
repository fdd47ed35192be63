namespace ConfUpdate.Harness.Scenarios;

/// <summary><c>abort:</c> close the connection with unread data queued (SO_LINGER 0).</summary>
[StepKey("abort")]
public sealed record AbortStep : StepAction
{
    /// <inheritdoc />
    public override string Describe(string conn) => $"abort {conn}";
}
