using ConfUpdate.Harness.Scenarios;

namespace ConfUpdate.Harness.Tests.Scenarios;

/// <summary>The scenario files themselves: schema-valid, unique ids, real requirements, every MUST covered.</summary>
[TestFixture]
public sealed class ScenarioLintTests
{
    [Test]
    public void ScenarioFiles_LoadAgainstSchemaAndSpec_WithoutErrors()
    {
        Assert.DoesNotThrow(() => _ = ScenarioCatalog.All, "every scenario file is schema-valid, ids are unique, cited requirements exist");
    }

    [Test]
    public void ScenarioIds_AreUnique()
    {
        var duplicates = ScenarioCatalog.All.GroupBy(s => s.Id).Where(g => g.Count() > 1).Select(g => g.Key).ToList();

        Assert.That(duplicates, Is.Empty);
    }

    [Test]
    public void EveryCitedRequirement_IsInSpecIndex()
    {
        var unknown = ScenarioCatalog.All.SelectMany(s => s.Requirements.Select(r => (s.Id, r)))
            .Where(x => !ScenarioCatalog.Requirements.Contains(x.r)).ToList();

        Assert.That(unknown, Is.Empty);
    }

    [Test]
    public void EveryMustRequirement_IsCoveredByAScenario()
    {
        var cited = ScenarioCatalog.All.SelectMany(s => s.Requirements).ToHashSet(StringComparer.Ordinal);

        var uncovered = ScenarioCatalog.Requirements.Must.Where(id => !cited.Contains(id)).ToList();

        Assert.That(uncovered, Is.Empty, "MUST requirements without a scenario");
    }

    [Test]
    public void Suite_HasAtLeastSixtyScenarios()
    {
        Assert.That(ScenarioCatalog.All, Has.Count.GreaterThanOrEqualTo(60));
    }

    [TestCase("sizes")]
    [TestCase("boundaries")]
    [TestCase("auth")]
    [TestCase("disconnects")]
    [TestCase("malformed")]
    [TestCase("caps")]
    [TestCase("startup")]
    public void RequiredFamily_HasScenarios(string tag)
    {
        Assert.That(ScenarioCatalog.All.Count(s => s.Tags.Contains(tag)), Is.GreaterThanOrEqualTo(1));
    }

    [Test]
    public void EveryScenario_HasTitleAndLevel()
    {
        Assert.That(ScenarioCatalog.All.Where(s => string.IsNullOrWhiteSpace(s.Title) || s.Level is not ("MUST" or "SHOULD")).Select(s => s.Id), Is.Empty);
    }
}
