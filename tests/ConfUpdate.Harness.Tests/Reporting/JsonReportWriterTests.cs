using System.Text.Json;
using ConfUpdate.Harness.Reporting;
using ConfUpdate.Harness.Running;
using static ConfUpdate.Harness.Tests.Reporting.ReportFixtures;

namespace ConfUpdate.Harness.Tests.Reporting;

public sealed class JsonReportWriterTests
{
    [Test]
    public void Write_ThenRead_RoundTripsEveryResultField()
    {
        ScenarioResult failed = Fail(Scenario("size.max-plus-one", ["FRAME-4", "DUR-1"], tags: ["sizes"]));
        RunReport report = Report(null, Pass(Scenario("size.zero", ["FRAME-4"])), failed);
        CoverageMatrix coverage = CoverageMatrix.Build(SpecIndex, report.Scenarios.Select(s => s.Result.Scenario), report);

        JsonReport read = JsonReportWriter.Read(JsonReportWriter.Write(report, coverage));

        JsonScenarioReport s = read.Scenarios.Single(x => x.Id == "size.max-plus-one");
        Assert.Multiple(() =>
        {
            Assert.That(read.ServerCommand, Is.EqualTo("dotnet server.dll --config {config}"));
            Assert.That(read.StartedAt, Is.EqualTo(report.Metadata.StartedAt));
            Assert.That(read.DurationMs, Is.EqualTo(1500));
            Assert.That(read.Counts, Is.EqualTo(report.Counts));
            Assert.That(read.Conformant, Is.False);
            Assert.That(s.Outcome, Is.EqualTo(ScenarioOutcome.Fail));
            Assert.That(s.Verdict, Is.EqualTo(Verdict.Fail));
            Assert.That(s.Requirements, Is.EqualTo(new[] { "FRAME-4", "DUR-1" }));
            Assert.That(s.Tags, Is.EqualTo(new[] { "sizes" }));
            Assert.That(s.Failures, Is.EqualTo(failed.Failures));
            Assert.That(s.Expected, Is.EqualTo(failed.Expected));
            Assert.That(s.Actual, Is.EqualTo(failed.Actual));
            Assert.That(s.Transcript, Is.EqualTo(failed.Transcript));
            Assert.That(s.ServerStderrTail, Is.EqualTo(failed.ServerStderrTail));
            Assert.That(s.RerunCommand, Is.EqualTo(failed.RerunCommand));
            Assert.That(s.DurationMs, Is.EqualTo(40));
            Assert.That(read.Coverage.Single(r => r.Id == "FRAME-4").Scenarios.Select(e => e.Verdict), Is.EqualTo(new Verdict?[] { Verdict.Pass, Verdict.Fail }));
            Assert.That(read.UncoveredMust, Is.EqualTo(new[] { "TRANS-1", "AUTH-3" }));
        });
    }

    [Test]
    public void Write_UsesCamelCaseAndEnumNames()
    {
        RunReport report = Report(null, Error(Scenario("a", ["AUTH-3"]), serverFailed: true));

        using JsonDocument json = JsonDocument.Parse(JsonReportWriter.Write(report));

        JsonElement scenario = json.RootElement.GetProperty("scenarios")[0];
        Assert.Multiple(() =>
        {
            Assert.That(scenario.GetProperty("outcome").GetString(), Is.EqualTo("error"));
            Assert.That(scenario.GetProperty("serverFailed").GetBoolean(), Is.True);
            Assert.That(json.RootElement.GetProperty("counts").GetProperty("summaryLine").GetString(), Is.EqualTo("0 passed, 1 failed, 0 skipped"));
        });
    }

    [Test]
    public void Read_NotAReport_ThrowsJsonException()
    {
        Assert.That(() => JsonReportWriter.Read("null"), Throws.InstanceOf<JsonException>());
    }
}
