using ConfUpdate.Harness.Scenarios;

namespace ConfUpdate.Harness.Tests.Scenarios;

/// <summary>The repository's scenarios, loaded once (and the SPEC index they are linted against).</summary>
internal static class ScenarioCatalog
{
    private static readonly Lazy<RequirementIndex> s_index = new(() => RequirementIndex.Load(KitPaths.SpecPath));
    private static readonly Lazy<IReadOnlyList<Scenario>> s_all = new(() =>
        ScenarioLoader.ForDirectory(KitPaths.ScenariosDirectory, s_index.Value).LoadDirectory(KitPaths.ScenariosDirectory));

    public static RequirementIndex Requirements => s_index.Value;

    public static IReadOnlyList<Scenario> All => s_all.Value;

    /// <summary>One NUnit case per scenario, named by id and categorised by tags and requirements.</summary>
    public static IEnumerable<TestCaseData> Cases()
    {
        IReadOnlyList<Scenario> all;
        try
        {
            all = All;
        }
        catch (ScenarioLoadException ex)
        {
            // Still produce a case, so that a broken file shows up as a failing test rather than no tests.
            return [new TestCaseData("<scenario files do not load>").SetName("scenarios.load").SetDescription(ex.Message)];
        }

        return all.Select(s =>
        {
            var data = new TestCaseData(s.Id).SetName(s.Id).SetDescription(s.Title);
            foreach (string tag in s.Tags.Concat(s.Requirements))
            {
                data.SetCategory(tag);
            }

            return data;
        });
    }
}
