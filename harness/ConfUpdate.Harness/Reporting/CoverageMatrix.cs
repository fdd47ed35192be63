using ConfUpdate.Harness.Scenarios;

namespace ConfUpdate.Harness.Reporting;

/// <summary>
/// The requirement coverage matrix: each requirement of SPEC.md's index with the scenarios citing it and
/// their verdicts; requirements no scenario covers are listed, MUST ones flagged.
/// </summary>
public sealed class CoverageMatrix
{
    private CoverageMatrix(IReadOnlyList<RequirementCoverage> rows) => Rows = rows;

    /// <summary>One row per requirement, in SPEC.md's index order.</summary>
    public IReadOnlyList<RequirementCoverage> Rows { get; }

    /// <summary>Requirements no scenario cites.</summary>
    public IEnumerable<RequirementCoverage> Uncovered => Rows.Where(r => !r.Covered);

    /// <summary>MUST requirements no scenario cites: a gap in the suite.</summary>
    public IEnumerable<RequirementCoverage> UncoveredMust => Uncovered.Where(r => r.Level == "MUST");

    /// <summary>Builds the matrix from the index, the scenarios considered, and (optionally) the run's results.</summary>
    /// <param name="index">SPEC.md's requirement index.</param>
    /// <param name="scenarios">The scenarios whose citations count (all loaded, or the selection).</param>
    /// <param name="report">The run's results; <c>null</c> when listing without running.</param>
    public static CoverageMatrix Build(RequirementIndex index, IEnumerable<Scenario> scenarios, RunReport? report = null)
    {
        ArgumentNullException.ThrowIfNull(index);
        ArgumentNullException.ThrowIfNull(scenarios);
        Dictionary<string, Verdict> verdicts = report?.Scenarios.ToDictionary(s => s.Id, s => s.Verdict, StringComparer.Ordinal)
            ?? new Dictionary<string, Verdict>(StringComparer.Ordinal);
        var citing = new Dictionary<string, List<CoverageEntry>>(StringComparer.Ordinal);
        foreach (Scenario scenario in scenarios)
        {
            foreach (string requirement in scenario.Requirements.Distinct(StringComparer.Ordinal))
            {
                if (!citing.TryGetValue(requirement, out List<CoverageEntry>? list))
                {
                    citing[requirement] = list = [];
                }

                list.Add(new CoverageEntry(scenario.Id, scenario.Level, verdicts.TryGetValue(scenario.Id, out Verdict v) ? v : null));
            }
        }

        return new CoverageMatrix([.. index.Levels.Select(kv => new RequirementCoverage(kv.Key, kv.Value, citing.GetValueOrDefault(kv.Key) ?? []))]);
    }
}
