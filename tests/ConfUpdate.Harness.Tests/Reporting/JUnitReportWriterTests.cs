using System.Xml.Linq;
using ConfUpdate.Harness.Reporting;
using static ConfUpdate.Harness.Tests.Reporting.ReportFixtures;

namespace ConfUpdate.Harness.Tests.Reporting;

public sealed class JUnitReportWriterTests
{
    [Test]
    public void Write_MixedResults_IsWellFormedWithRightCounts()
    {
        RunReport report = Report(
            new Dictionary<string, string> { ["auth.denied"] = "known bug #12" },
            Pass(Scenario("size.zero", ["FRAME-4"])),
            Fail(Scenario("size.max-plus-one", ["FRAME-4"])),
            Error(Scenario("size.kit", ["FRAME-4"]), serverFailed: false),
            Fail(Scenario("auth.denied", ["AUTH-3"], file: "/kit/scenarios/auth.yaml")));

        XDocument xml = XDocument.Parse(JUnitReportWriter.Write(report));

        XElement root = xml.Root!;
        Assert.Multiple(() =>
        {
            Assert.That(root.Name.LocalName, Is.EqualTo("testsuites"));
            Assert.That((int)root.Attribute("tests")!, Is.EqualTo(4));
            Assert.That((int)root.Attribute("failures")!, Is.EqualTo(1));
            Assert.That((int)root.Attribute("errors")!, Is.EqualTo(1));
            Assert.That((int)root.Attribute("skipped")!, Is.EqualTo(1));
            Assert.That(root.Elements("testsuite").Select(s => (string)s.Attribute("name")!), Is.EqualTo(new[] { "auth", "sizes" }));
            Assert.That(root.Descendants("testcase").Select(t => (string)t.Attribute("name")!),
                Is.EquivalentTo(new[] { "size.zero", "size.max-plus-one", "size.kit", "auth.denied" }));
        });
    }

    [Test]
    public void Write_Failure_CarriesExpectedActualTranscriptStderrAndRerun()
    {
        RunReport report = Report(null, Fail(Scenario("size.max-plus-one", ["FRAME-4"]), stderr: "server: rejected 70000 bytes\n"));

        XElement testCase = XDocument.Parse(JUnitReportWriter.Write(report)).Descendants("testcase").Single();

        XElement failure = testCase.Element("failure")!;
        string output = (string)testCase.Element("system-out")!;
        Assert.Multiple(() =>
        {
            Assert.That((string)failure.Attribute("message")!, Does.Contain("expected TOO_LARGE, got OK"));
            Assert.That(failure.Value, Does.Contain("expected: reply TOO_LARGE").And.Contain("actual:   reply [70000B OK"));
            Assert.That(output, Does.Contain("70000B replace id=3"));
            Assert.That(output, Does.Contain("server: rejected 70000 bytes"));
            Assert.That(output, Does.Contain("rerun: confkit run --id size.max-plus-one"));
        });
    }

    [Test]
    public void Write_StderrWithControlBytes_StaysWellFormed()
    {
        RunReport report = Report(null, Fail(Scenario("size.x", ["FRAME-4"]), stderr: "bad \u0001\u001b[31m bytes\n"));

        string text = JUnitReportWriter.Write(report);

        Assert.That(() => XDocument.Parse(text), Throws.Nothing);
        Assert.That(text, Does.Contain("\\x01"));
    }

    [Test]
    public void Write_ExpectedFailure_IsSkippedWithItsReason()
    {
        RunReport report = Report(new Dictionary<string, string> { ["a"] = "known bug #12" }, Fail(Scenario("a", ["AUTH-3"])));

        XElement skipped = XDocument.Parse(JUnitReportWriter.Write(report)).Descendants("skipped").Single();

        Assert.That((string)skipped.Attribute("message")!, Does.Contain("known bug #12"));
    }
}
