namespace ConfUpdate.Harness.Scenarios;

/// <summary>connect(2) options.</summary>
public sealed record ConnectOptions
{
    /// <summary>seqpacket (default), stream or dgram.</summary>
    public string? Type { get; init; }
}
