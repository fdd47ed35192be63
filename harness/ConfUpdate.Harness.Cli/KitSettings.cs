using ConfUpdate.Harness.Environment;
using ConfUpdate.Harness.Selection;

namespace ConfUpdate.Harness.Cli;

/// <summary>The parsed command line of <c>run</c>, <c>list</c> and <c>coverage</c>.</summary>
internal sealed record KitSettings
{
    public required ScenarioSelection Selection { get; init; }

    /// <summary>--scenarios, or null for the checkout's <c>scenarios/</c>.</summary>
    public string? ScenariosDirectory { get; init; }

    /// <summary>--spec, or null for the checkout's <c>docs/SPEC.md</c>.</summary>
    public string? SpecPath { get; init; }

    /// <summary>--server, or null for the reference server.</summary>
    public string? Server { get; init; }

    public int? Parallel { get; init; }

    public SwitchStrategy Switch { get; init; } = SwitchStrategy.Auto;

    /// <summary>--role overrides, role to account.</summary>
    public IReadOnlyDictionary<string, string> Roles { get; init; } = new Dictionary<string, string>();

    public string? ExpectedFailures { get; init; }

    public bool FailOnUnexpectedPass { get; init; }

    public string? ReportDirectory { get; init; }

    public bool NoColor { get; init; }

    public double? TimeoutSeconds { get; init; }

    public double? TimeScale { get; init; }
}
