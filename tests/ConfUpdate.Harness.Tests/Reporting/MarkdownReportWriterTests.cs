using ConfUpdate.Harness.Reporting;
using static ConfUpdate.Harness.Tests.Reporting.ReportFixtures;

namespace ConfUpdate.Harness.Tests.Reporting;

public sealed class MarkdownReportWriterTests
{
    [Test]
    public void Write_Failure_ShowsCountsExpectedActualRerunAndTheMatrix()
    {
        RunReport report = Report(null, Pass(Scenario("size.zero", ["FRAME-4"])), Fail(Scenario("size.max-plus-one", ["FRAME-4"])));
        CoverageMatrix coverage = CoverageMatrix.Build(SpecIndex, report.Scenarios.Select(s => s.Result.Scenario), report);

        string md = MarkdownReportWriter.Write(report, coverage);

        Assert.Multiple(() =>
        {
            Assert.That(md, Does.Contain("**Not conformant**: 1 passed, 1 failed, 0 skipped"));
            Assert.That(md, Does.Contain("### FAIL `size.max-plus-one`"));
            Assert.That(md, Does.Contain("expected: reply TOO_LARGE"));
            Assert.That(md, Does.Contain("actual:   reply [70000B OK"));
            Assert.That(md, Does.Contain("Rerun: `confkit run --id size.max-plus-one`"));
            Assert.That(md, Does.Contain("## Requirement coverage"));
            Assert.That(md, Does.Contain("| FRAME-4 | MUST | fail | ✅ `size.zero`, ❌ `size.max-plus-one` |"));
            Assert.That(md, Does.Contain("- AUTH-3 (MUST) **MUST: not covered**"));
            Assert.That(md, Does.Contain("- TRANS-4 (SHOULD)\n").Or.Contain("- TRANS-4 (SHOULD)\r\n"));
        });
    }

    [Test]
    public void Write_UnexpectedPass_IsListedForPruning()
    {
        RunReport report = Report(new Dictionary<string, string> { ["auth.denied"] = "bug #12" }, Pass(Scenario("auth.denied", ["AUTH-3"])));

        string md = MarkdownReportWriter.Write(report);

        Assert.That(md, Does.Contain("## Unexpected passes").And.Contain("`auth.denied` (listed because: bug #12)"));
        Assert.That(md, Does.Contain("**Conformant**"));
    }
}
