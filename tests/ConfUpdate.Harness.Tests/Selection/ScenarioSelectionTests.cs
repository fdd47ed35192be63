using ConfUpdate.Harness.Scenarios;
using ConfUpdate.Harness.Selection;
using static ConfUpdate.Harness.Tests.Reporting.ReportFixtures;

namespace ConfUpdate.Harness.Tests.Selection;

public sealed class ScenarioSelectionTests
{
    private static readonly Scenario[] s_all =
    [
        Scenario("size.zero", ["FRAME-4"], tags: ["sizes"]),
        Scenario("size.max-plus-one", ["FRAME-4", "STAT-2"], tags: ["sizes"]),
        Scenario("auth.denied", ["AUTH-3"], tags: ["auth", "cross-user"]),
        Scenario("transport.cloexec", ["TRANS-4"], level: "SHOULD", tags: ["transport"]),
    ];

    private static string[] Ids(ScenarioSelection selection) => [.. selection.Apply(s_all).Select(s => s.Id)];

    [Test]
    public void Apply_Default_RunsMustOnly()
    {
        Assert.That(Ids(ScenarioSelection.All), Is.EqualTo(new[] { "size.zero", "size.max-plus-one", "auth.denied" }));
    }

    [Test]
    public void Apply_Strict_AddsShouldLevel()
    {
        Assert.That(Ids(new ScenarioSelection { Strict = true }), Has.Member("transport.cloexec").And.Length.EqualTo(4));
    }

    [Test]
    public void Apply_ExactIdOfShouldScenario_SelectsItWithoutStrict()
    {
        Assert.That(Ids(new ScenarioSelection { Ids = ["transport.cloexec"] }), Is.EqualTo(new[] { "transport.cloexec" }));
    }

    [Test]
    public void Apply_IdGlob_MatchesCaseInsensitivelyAndKeepsLevelFilter()
    {
        Assert.Multiple(() =>
        {
            Assert.That(Ids(new ScenarioSelection { Ids = ["SIZE.*"] }), Is.EqualTo(new[] { "size.zero", "size.max-plus-one" }));
            Assert.That(Ids(new ScenarioSelection { Ids = ["*.c?oexec"] }), Is.Empty);
            Assert.That(Ids(new ScenarioSelection { Ids = ["*.c?oexec"], Strict = true }), Is.EqualTo(new[] { "transport.cloexec" }));
        });
    }

    [Test]
    public void Apply_TagsAndRequirements_AreAUnion()
    {
        Assert.That(Ids(new ScenarioSelection { Tags = ["auth"], Requirements = ["STAT-*"] }), Is.EqualTo(new[] { "size.max-plus-one", "auth.denied" }));
    }

    [Test]
    public void Apply_ExcludesWinOverIncludes()
    {
        Assert.Multiple(() =>
        {
            Assert.That(Ids(new ScenarioSelection { Tags = ["sizes"], ExcludeIds = ["*plus*"] }), Is.EqualTo(new[] { "size.zero" }));
            Assert.That(Ids(new ScenarioSelection { ExcludeTags = ["cross-user"] }), Is.EqualTo(new[] { "size.zero", "size.max-plus-one" }));
            Assert.That(Ids(new ScenarioSelection { Ids = ["auth.denied"], ExcludeTags = ["auth"] }), Is.Empty);
        });
    }

    [Test]
    public void ToString_ListsTheOptionsGiven()
    {
        var selection = new ScenarioSelection { Ids = ["a.*"], ExcludeTags = ["slow"], Strict = true };

        Assert.That(selection.ToString(), Is.EqualTo("--id a.* --exclude-tag slow --strict"));
    }
}
