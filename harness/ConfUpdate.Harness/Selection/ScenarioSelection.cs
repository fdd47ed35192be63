using System.Text;
using ConfUpdate.Harness.Scenarios;

namespace ConfUpdate.Harness.Selection;

/// <summary>
/// Which scenarios run. Levels: MUST always, SHOULD (and MAY) only with <see cref="Strict"/>, except that
/// an exact id given in <see cref="Ids"/> selects that scenario whatever its level. Includes: when any of
/// <see cref="Ids"/>, <see cref="Tags"/>, <see cref="Requirements"/> is given, a scenario must match at
/// least one of them. Excludes win over includes. Ids and requirements take globs (<c>size.*</c>,
/// <c>AUTH-*</c>); everything is case-insensitive.
/// </summary>
public sealed record ScenarioSelection
{
    /// <summary>Everything at MUST level.</summary>
    public static ScenarioSelection All { get; } = new();

    /// <summary>Id patterns to include.</summary>
    public IReadOnlyList<string> Ids { get; init; } = [];

    /// <summary>Tags to include.</summary>
    public IReadOnlyList<string> Tags { get; init; } = [];

    /// <summary>Requirement ids or patterns to include (<c>AUTH-3</c>, <c>FRAME-*</c>).</summary>
    public IReadOnlyList<string> Requirements { get; init; } = [];

    /// <summary>Id patterns to exclude.</summary>
    public IReadOnlyList<string> ExcludeIds { get; init; } = [];

    /// <summary>Tags to exclude.</summary>
    public IReadOnlyList<string> ExcludeTags { get; init; } = [];

    /// <summary>Also run SHOULD-level scenarios.</summary>
    public bool Strict { get; init; }

    /// <summary>Whether any include or exclude is given (not counting <see cref="Strict"/>).</summary>
    public bool IsFiltered => Ids.Count + Tags.Count + Requirements.Count + ExcludeIds.Count + ExcludeTags.Count > 0;

    /// <summary>The selected scenarios, in their original order.</summary>
    public IReadOnlyList<Scenario> Apply(IEnumerable<Scenario> scenarios)
    {
        ArgumentNullException.ThrowIfNull(scenarios);
        return [.. scenarios.Where(Selects)];
    }

    /// <summary>Whether one scenario is selected.</summary>
    public bool Selects(Scenario scenario)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        if (ExcludeIds.Any(p => Glob.Matches(p, scenario.Id)) || ExcludeTags.Any(t => HasTag(scenario, t)))
        {
            return false;
        }

        bool namedExactly = Ids.Any(p => !Glob.HasWildcards(p) && string.Equals(p, scenario.Id, StringComparison.OrdinalIgnoreCase));
        if (!namedExactly && !Strict && !string.Equals(scenario.Level, "MUST", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        if (Ids.Count + Tags.Count + Requirements.Count == 0)
        {
            return true;
        }

        return namedExactly
            || Ids.Any(p => Glob.Matches(p, scenario.Id))
            || Tags.Any(t => HasTag(scenario, t))
            || Requirements.Any(p => scenario.Requirements.Any(r => Glob.Matches(p, r)));
    }

    /// <summary>The selection as command-line options (for reports and rerun hints); empty when nothing is filtered.</summary>
    public override string ToString()
    {
        var text = new StringBuilder();
        void Add(string option, IEnumerable<string> values)
        {
            foreach (string value in values)
            {
                text.Append(text.Length > 0 ? " " : "").Append(option).Append(' ').Append(value);
            }
        }

        Add("--id", Ids);
        Add("--tag", Tags);
        Add("--requirement", Requirements);
        Add("--exclude-id", ExcludeIds);
        Add("--exclude-tag", ExcludeTags);
        if (Strict)
        {
            text.Append(text.Length > 0 ? " " : "").Append("--strict");
        }

        return text.ToString();
    }

    private static bool HasTag(Scenario scenario, string tag) =>
        scenario.Tags.Any(t => string.Equals(t, tag, StringComparison.OrdinalIgnoreCase));
}
