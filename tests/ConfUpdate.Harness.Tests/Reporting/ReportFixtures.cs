using ConfUpdate.Harness.Reporting;
using ConfUpdate.Harness.Running;
using ConfUpdate.Harness.Scenarios;

namespace ConfUpdate.Harness.Tests.Reporting;

/// <summary>Hand-made scenarios and results for the report writers.</summary>
internal static class ReportFixtures
{
    public const string Spec = """
        # Some spec
        ## 16. Requirement index

        | ID | level | section |
        |---|---|---|
        | TRANS-1 | MUST | Transport |
        | TRANS-4 | SHOULD | Transport |
        | AUTH-3 | MUST | Authentication |
        | FRAME-4 | MUST | Framing |
        | DUR-1 | MUST | Durability |
        """;

    public static RequirementIndex SpecIndex { get; } = RequirementIndex.Parse(Spec);

    public static Scenario Scenario(string id, string[] requirements, string level = "MUST", string file = "/kit/scenarios/sizes.yaml", params string[] tags) => new()
    {
        Id = id,
        Title = $"The server does {id}.",
        Requirements = requirements,
        Level = level,
        Tags = tags,
        SourceFile = file,
    };

    public static ScenarioResult Pass(Scenario scenario) => new()
    {
        Scenario = scenario,
        Outcome = ScenarioOutcome.Pass,
        Duration = TimeSpan.FromMilliseconds(12.5),
        RerunCommand = $"confkit run --id {scenario.Id}",
    };

    public static ScenarioResult Fail(Scenario scenario, string stderr = "server: boom\n") => new()
    {
        Scenario = scenario,
        Outcome = ScenarioOutcome.Fail,
        Failures = ["step 2 (recv): expected TOO_LARGE, got OK"],
        Expected = "reply TOO_LARGE",
        Actual = "reply [70000B OK op=0x82 id=3]",
        Transcript =
        [
            new TranscriptEntry(1.0, "allowed/www-data", ">", "70000B replace id=3 target=t"),
            new TranscriptEntry(5.5, "allowed/www-data", "<", "12B OK op=0x82 id=3"),
        ],
        ServerStderrTail = stderr,
        RerunCommand = $"confkit run --id {scenario.Id}",
        Duration = TimeSpan.FromMilliseconds(40),
    };

    public static ScenarioResult Error(Scenario scenario, bool serverFailed) => new()
    {
        Scenario = scenario,
        Outcome = ScenarioOutcome.Error,
        Failures = [serverFailed ? "the server under test did not start: exited with 1" : "kit error: IOException: probe died"],
        ServerFailed = serverFailed,
        Duration = TimeSpan.FromMilliseconds(3),
    };

    public static RunReport Report(IReadOnlyDictionary<string, string>? expectedFailures, params ScenarioResult[] results) =>
        RunReport.Create(
            new RunMetadata("dotnet server.dll --config {config}", new DateTimeOffset(2026, 11, 29, 17, 0, 0, TimeSpan.Zero), TimeSpan.FromSeconds(1.5))
            {
                Selected = results.Length,
            },
            results,
            expectedFailures);
}
