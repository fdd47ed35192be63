using System.Text.RegularExpressions;
using ConfUpdate.Protocol.Tests.Support;

namespace ConfUpdate.Protocol.Tests;

/// <summary>The closed status list of SPEC STAT-1, checked against the table in docs/SPEC.md itself.</summary>
public partial class StatusInfoTests
{
    private static readonly Status[] s_allStatuses = Enum.GetValues<Status>();

    private static readonly Status[] s_closingStatuses = [Status.Forbidden, Status.Busy, Status.ShuttingDown];

    /// <summary>One row of the STAT-1 table: value, name, and the "connection afterwards" column.</summary>
    private sealed record SpecRow(int Value, string Name, string ConnectionAfterwards);

    [TestCaseSource(nameof(s_allStatuses))]
    public void ClosesConnection_OnlyForForbiddenBusyAndShuttingDown(Status status) =>
        Assert.That(StatusInfo.ClosesConnection(status), Is.EqualTo(s_closingStatuses.Contains(status)));

    [TestCaseSource(nameof(s_allStatuses))]
    public void WireName_RoundTripsThroughTryParseWireName(Status status)
    {
        string name = StatusInfo.WireName(status);

        bool parsed = StatusInfo.TryParseWireName(name, out Status back);

        Assert.Multiple(() =>
        {
            Assert.That(parsed, Is.True, name);
            Assert.That(back, Is.EqualTo(status));
        });
    }

    [TestCase("too_large", Status.TooLarge)]
    [TestCase("Shutting_Down", Status.ShuttingDown)]
    [TestCase("ok", Status.Ok)]
    public void TryParseWireName_IgnoresCase(string name, Status expected)
    {
        bool parsed = StatusInfo.TryParseWireName(name, out Status status);

        Assert.Multiple(() =>
        {
            Assert.That(parsed, Is.True);
            Assert.That(status, Is.EqualTo(expected));
        });
    }

    [TestCase("")]
    [TestCase("NOPE")]
    [TestCase("TOO LARGE")]
    [TestCase("TooLarge")]
    [TestCase(" OK")]
    [TestCase("5")]
    [TestCase("STATUS_13")]
    public void TryParseWireName_UnknownName_IsFalse(string name) =>
        Assert.That(StatusInfo.TryParseWireName(name, out _), Is.False);

    [Test]
    public void WireName_OfAValueOutsideTheList_NamesTheNumber() =>
        Assert.That(StatusInfo.WireName((Status)200), Is.EqualTo("STATUS_200"));

    [Test]
    public void WireNames_AreDistinct() =>
        Assert.That(s_allStatuses.Select(StatusInfo.WireName), Is.Unique);

    [Test]
    public void SpecTable_ListsExactlyTheStatusValuesOfTheEnum()
    {
        IReadOnlyList<SpecRow> rows = ReadSpecTable();

        Assert.That(rows.Select(r => r.Value), Is.EquivalentTo(s_allStatuses.Select(s => (int)s)));
    }

    [TestCaseSource(nameof(s_allStatuses))]
    public void WireName_MatchesTheSpecTableRowForItsValue(Status status)
    {
        SpecRow row = ReadSpecTable().Single(r => r.Value == (int)status);

        Assert.That(StatusInfo.WireName(status), Is.EqualTo(row.Name));
    }

    [TestCaseSource(nameof(s_allStatuses))]
    public void ClosesConnection_MatchesTheSpecTableRowForItsValue(Status status)
    {
        SpecRow row = ReadSpecTable().Single(r => r.Value == (int)status);
        bool specCloses = row.ConnectionAfterwards.StartsWith("closed", StringComparison.Ordinal);

        Assert.Multiple(() =>
        {
            Assert.That(row.ConnectionAfterwards, Is.EqualTo("open").Or.EqualTo("closed by the server"));
            Assert.That(StatusInfo.ClosesConnection(status), Is.EqualTo(specCloses));
        });
    }

    /// <summary>Reads the rows of the STAT-1 table between the STAT-1 and STAT-2 paragraphs of docs/SPEC.md.</summary>
    private static List<SpecRow> ReadSpecTable()
    {
        string[] lines = File.ReadAllLines(RepositoryPaths.Spec());
        int start = Array.FindIndex(lines, l => l.StartsWith("**STAT-1", StringComparison.Ordinal));
        int end = Array.FindIndex(lines, l => l.StartsWith("**STAT-2", StringComparison.Ordinal));
        Assert.That(start, Is.GreaterThanOrEqualTo(0), "SPEC.md has a STAT-1 paragraph");
        Assert.That(end, Is.GreaterThan(start), "SPEC.md has a STAT-2 paragraph after STAT-1");

        var rows = lines[start..end]
            .Select(l => SpecRowPattern().Match(l))
            .Where(m => m.Success)
            .Select(m => new SpecRow(int.Parse(m.Groups["value"].Value), m.Groups["name"].Value, m.Groups["after"].Value.Trim()))
            .ToList();
        Assert.That(rows, Is.Not.Empty, "the STAT-1 table has rows");
        Assert.That(rows.Select(r => r.Value), Is.Unique, "STAT-1 values are unique");
        Assert.That(rows.Select(r => r.Name), Is.Unique, "STAT-1 names are unique");
        return rows;
    }

    // | 5 | `TOO_LARGE` | meaning | open |
    [GeneratedRegex(@"^\|\s*(?<value>\d+)\s*\|\s*`(?<name>[A-Z_]+)`\s*\|.*\|(?<after>[^|]*)\|\s*$")]
    private static partial Regex SpecRowPattern();
}
