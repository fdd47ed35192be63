using ConfUpdate.Harness.Reporting;
using ConfUpdate.Harness.Scenarios;
using static ConfUpdate.Harness.Tests.Reporting.ReportFixtures;

namespace ConfUpdate.Harness.Tests.Reporting;

public sealed class CoverageMatrixTests
{
    [Test]
    public void Build_WithoutResults_ListsUncoveredAndFlagsMust()
    {
        Scenario[] scenarios = [Scenario("a", ["FRAME-4", "DUR-1"]), Scenario("b", ["FRAME-4"])];

        CoverageMatrix matrix = CoverageMatrix.Build(SpecIndex, scenarios);

        Assert.Multiple(() =>
        {
            Assert.That(matrix.Rows.Select(r => r.Id), Is.EqualTo(new[] { "TRANS-1", "TRANS-4", "AUTH-3", "FRAME-4", "DUR-1" }), "index order");
            Assert.That(matrix.Rows.Single(r => r.Id == "FRAME-4").Scenarios.Select(s => s.ScenarioId), Is.EqualTo(new[] { "a", "b" }));
            Assert.That(matrix.Rows.Single(r => r.Id == "FRAME-4").Status, Is.EqualTo("not run"));
            Assert.That(matrix.Uncovered.Select(r => r.Id), Is.EqualTo(new[] { "TRANS-1", "TRANS-4", "AUTH-3" }));
            Assert.That(matrix.UncoveredMust.Select(r => r.Id), Is.EqualTo(new[] { "TRANS-1", "AUTH-3" }));
        });
    }

    [Test]
    public void Build_WithResults_RequirementFailsWhenAnyCitingScenarioFails()
    {
        Scenario a = Scenario("a", ["FRAME-4"]);
        Scenario b = Scenario("b", ["FRAME-4", "DUR-1"]);
        RunReport report = Report(null, Pass(a), Fail(b));

        CoverageMatrix matrix = CoverageMatrix.Build(SpecIndex, [a, b], report);

        Assert.Multiple(() =>
        {
            Assert.That(matrix.Rows.Single(r => r.Id == "FRAME-4").Status, Is.EqualTo("fail"));
            Assert.That(matrix.Rows.Single(r => r.Id == "DUR-1").Status, Is.EqualTo("fail"));
            Assert.That(matrix.Rows.Single(r => r.Id == "AUTH-3").Status, Is.EqualTo("uncovered"));
        });
    }

    [Test]
    public void Build_ExpectedFailure_IsNotAFailingRequirement()
    {
        Scenario a = Scenario("a", ["AUTH-3"]);
        RunReport report = Report(new Dictionary<string, string> { ["a"] = "known" }, Fail(a));

        CoverageMatrix matrix = CoverageMatrix.Build(SpecIndex, [a], report);

        Assert.That(matrix.Rows.Single(r => r.Id == "AUTH-3").Status, Is.EqualTo("expected failure"));
    }
}
