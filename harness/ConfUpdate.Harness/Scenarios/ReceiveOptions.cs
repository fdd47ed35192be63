namespace ConfUpdate.Harness.Scenarios;

/// <summary>recv(2) options.</summary>
public sealed record ReceiveOptions
{
    /// <summary>How many datagrams to wait for.</summary>
    public int Count { get; init; } = 1;
}
