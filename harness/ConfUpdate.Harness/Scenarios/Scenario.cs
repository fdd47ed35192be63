namespace ConfUpdate.Harness.Scenarios;

/// <summary>One conformance scenario, as loaded from <c>scenarios/*.yaml</c> (generation already expanded).</summary>
public sealed record Scenario
{
    /// <summary>Stable id, e.g. <c>size.max-plus-one</c>; never a position.</summary>
    public required string Id { get; init; }

    /// <summary>One present-tense sentence saying what the server does.</summary>
    public required string Title { get; init; }

    /// <summary>The SPEC requirement ids this scenario checks.</summary>
    public required IReadOnlyList<string> Requirements { get; init; }

    /// <summary>MUST or SHOULD.</summary>
    public string Level { get; init; } = "MUST";

    /// <summary>Free tags for selection (family names such as <c>sizes</c>, <c>auth</c>).</summary>
    public IReadOnlyList<string> Tags { get; init; } = [];

    /// <summary>A fresh server with these changes; null means the shared server.</summary>
    public ServerSetup? Server { get; init; }

    /// <summary>The scenario's targets by local name; a target <c>t</c> with no file when absent.</summary>
    public IReadOnlyDictionary<string, TargetSetup> Targets { get; init; } = new Dictionary<string, TargetSetup>();

    /// <summary>What the identities do, in order.</summary>
    public IReadOnlyList<ScenarioStep> Steps { get; init; } = [];

    /// <summary>Side effects checked after the steps.</summary>
    public IReadOnlyList<Check> Checks { get; init; } = [];

    /// <summary>The file it came from (for messages and the rerun command).</summary>
    public string SourceFile { get; init; } = "";

    /// <summary>Whether this scenario needs a server of its own (overrides, or steps that stop the server).</summary>
    public bool NeedsOwnServer => Server is not null || AllSteps().Any(s => s.Action is ServerStep);

    /// <summary>Whether it must run alone (fd baseline checks are disturbed by other scenarios' connections).</summary>
    public bool NeedsExclusiveServer => Checks.Any(c => c.FdsBaseline == true);

    /// <summary>Whether a probe of this scenario is killed, so it needs probes of its own.</summary>
    public bool NeedsOwnProbes => AllSteps().Any(s => s.Action is KillProbeStep);

    /// <summary>Every step, nested ones (parallel branches, repeats, eventually) included.</summary>
    public IEnumerable<ScenarioStep> AllSteps() => Flatten(Steps);

    private static IEnumerable<ScenarioStep> Flatten(IEnumerable<ScenarioStep> steps)
    {
        foreach (ScenarioStep step in steps)
        {
            yield return step;
            foreach (ScenarioStep inner in step.Action.Blocks.SelectMany(Flatten))
            {
                yield return inner;
            }
        }
    }
}
