using ConfUpdate.Harness.Reporting;
using static ConfUpdate.Harness.Tests.Reporting.ReportFixtures;

namespace ConfUpdate.Harness.Tests.Reporting;

public sealed class RunReportTests
{
    [Test]
    public void Create_ListedFailure_IsExcusedAndCountedAsSkipped()
    {
        RunReport report = Report(
            new Dictionary<string, string> { ["b"] = "bug" },
            Pass(Scenario("a", ["AUTH-3"])),
            Fail(Scenario("b", ["AUTH-3"])));

        Assert.Multiple(() =>
        {
            Assert.That(report.Conformant, Is.True);
            Assert.That(report.Counts.SummaryLine, Is.EqualTo("1 passed, 0 failed, 1 skipped"));
        });
    }

    [Test]
    public void Create_ListedScenarioThatPasses_IsAnUnexpectedPassButStillConformant()
    {
        RunReport report = Report(new Dictionary<string, string> { ["a"] = "bug" }, Pass(Scenario("a", ["AUTH-3"])));

        Assert.Multiple(() =>
        {
            Assert.That(report.Scenarios[0].Verdict, Is.EqualTo(Verdict.UnexpectedPass));
            Assert.That(report.Counts.UnexpectedPasses, Is.EqualTo(1));
            Assert.That(report.Conformant, Is.True);
            Assert.That(report.Counts.SummaryLine, Is.EqualTo("1 passed, 0 failed, 0 skipped"));
        });
    }

    [Test]
    public void Create_ErrorsCountAsFailedAndServerFailureIsFlagged()
    {
        RunReport report = Report(null, Error(Scenario("a", ["AUTH-3"]), serverFailed: true), Fail(Scenario("b", ["AUTH-3"])));

        Assert.Multiple(() =>
        {
            Assert.That(report.Conformant, Is.False);
            Assert.That(report.ServerFailed, Is.True);
            Assert.That(report.Counts.SummaryLine, Is.EqualTo("0 passed, 2 failed, 0 skipped"));
        });
    }
}
