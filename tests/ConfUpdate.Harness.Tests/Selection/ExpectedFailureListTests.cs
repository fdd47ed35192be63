using ConfUpdate.Harness.Reporting;
using ConfUpdate.Harness.Selection;
using static ConfUpdate.Harness.Tests.Reporting.ReportFixtures;

namespace ConfUpdate.Harness.Tests.Selection;

public sealed class ExpectedFailureListTests
{
    [Test]
    public void Parse_PlainText_ReadsIdsReasonsAndLines()
    {
        const string Text = """
            # Known departures of the Python example
            size.max-plus-one   # sends EMSGSIZE instead of TOO_LARGE

            auth.denied
            """;

        ExpectedFailureList list = ExpectedFailureList.Parse(Text, "python.txt");

        Assert.That(list.Entries, Is.EqualTo(new[]
        {
            new ExpectedFailure("size.max-plus-one", "sends EMSGSIZE instead of TOO_LARGE", 2),
            new ExpectedFailure("auth.denied", "", 4),
        }));
    }

    [Test]
    public void Parse_PlainTextWithTwoWords_ThrowsNamingFileAndLine()
    {
        Assert.That(() => ExpectedFailureList.Parse("a.b\nsize.zero because reasons\n", "x.txt"),
            Throws.InstanceOf<FormatException>().With.Message.Contains("x.txt:2").And.Message.Contains("# reason"));
    }

    [Test]
    public void Parse_Duplicate_Throws()
    {
        Assert.That(() => ExpectedFailureList.Parse("a\nb\na # again\n", "x.txt"),
            Throws.InstanceOf<FormatException>().With.Message.Contains("x.txt:3").And.Message.Contains("twice"));
    }

    [TestCase("size.max-plus-one: sends EMSGSIZE\nauth.denied: not implemented\n")]
    [TestCase("expected_failures:\n  - id: size.max-plus-one\n    reason: sends EMSGSIZE\n  - id: auth.denied\n    reason: not implemented\n")]
    public void Parse_Yaml_MappingOrListUnderKey(string yaml)
    {
        ExpectedFailureList list = ExpectedFailureList.Parse(yaml, "python.yaml");

        Assert.That(list.Reasons, Is.EquivalentTo(new Dictionary<string, string>
        {
            ["size.max-plus-one"] = "sends EMSGSIZE",
            ["auth.denied"] = "not implemented",
        }));
    }

    [Test]
    public void Parse_YamlListOfIds_HasEmptyReasons()
    {
        ExpectedFailureList list = ExpectedFailureList.Parse("- a.b\n- c.d\n", "x.yml");

        Assert.That(list.Entries.Select(e => (e.Id, e.Reason, e.Line)), Is.EqualTo(new[] { ("a.b", "", 1), ("c.d", "", 2) }));
    }

    [Test]
    public void Parse_YamlWithUnknownKey_Throws()
    {
        Assert.That(() => ExpectedFailureList.Parse("- id: a\n  why: x\n", "x.yaml"),
            Throws.InstanceOf<FormatException>().With.Message.Contains("x.yaml:2").And.Message.Contains("why"));
    }

    [Test]
    public void Unknown_ReportsIdsThatNameNoScenario()
    {
        ExpectedFailureList list = ExpectedFailureList.Parse("size.zero\nsize.typo # renamed?\n", "x.txt");

        Assert.That(list.Unknown([Scenario("size.zero", ["FRAME-4"])]).Select(e => e.Id), Is.EqualTo(new[] { "size.typo" }));
    }

    [Test]
    public void AppliedToResults_UnexpectedPassIsReported()
    {
        ExpectedFailureList list = ExpectedFailureList.Parse("size.zero # was broken\nauth.denied # still broken\n", "x.txt");

        RunReport report = Report(list.Reasons, Pass(Scenario("size.zero", ["FRAME-4"])), Fail(Scenario("auth.denied", ["AUTH-3"])));

        Assert.Multiple(() =>
        {
            Assert.That(report.Scenarios.Select(s => s.Verdict), Is.EqualTo(new[] { Verdict.UnexpectedPass, Verdict.ExpectedFailure }));
            Assert.That(report.Scenarios[0].ExpectedFailureReason, Is.EqualTo("was broken"));
            Assert.That(report.Conformant, Is.True);
        });
    }
}
