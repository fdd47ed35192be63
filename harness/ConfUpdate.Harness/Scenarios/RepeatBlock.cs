namespace ConfUpdate.Harness.Scenarios;

/// <summary>A repeated block.</summary>
public sealed record RepeatBlock
{
    /// <summary>How many times.</summary>
    public int Times { get; init; } = 1;

    /// <summary>The steps; <c>{i}</c> in connection names and ids is the iteration.</summary>
    public IReadOnlyList<ScenarioStep> Steps { get; init; } = [];
}
