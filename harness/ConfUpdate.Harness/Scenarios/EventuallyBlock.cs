namespace ConfUpdate.Harness.Scenarios;

/// <summary>
/// Steps run again (after closing the connections they opened) until every one matches or <see cref="WithinMs"/>
/// has passed; then the last attempt's mismatch stands. For server-side effects the client has no event to wait
/// for (a closed connection's cap slot freed, an install finishing for a client that left), which a fixed sleep
/// only guesses on a loaded machine.
/// </summary>
public sealed record EventuallyBlock
{
    /// <summary>How long to keep trying, in milliseconds (scaled by the run's time scale).</summary>
    public int WithinMs { get; init; } = 5000;

    /// <summary>The pause between attempts, in milliseconds.</summary>
    public int EveryMs { get; init; } = 100;

    /// <summary>The steps of one attempt.</summary>
    public IReadOnlyList<ScenarioStep> Steps { get; init; } = [];
}
