namespace ConfUpdate.Harness.Tests.Cli;

/// <summary>
/// A temporary scenarios directory with the repository's schema and two small hand-written scenarios, so
/// the CLI tests do not depend on the suite's contents: one that any conformant server passes, one that
/// expects a status no server gives (it always fails).
/// </summary>
internal sealed class ScenarioDirectory : IDisposable
{
    public const string PassingId = "cli.hello-ok";
    public const string FailingId = "cli.hello-expects-forbidden";

    private const string Yaml = """
        scenarios:
          - id: cli.hello-ok
            title: HELLO from the allowed user is answered OK.
            requirements: [OP-1]
            level: MUST
            tags: [cli-test, hello]
            steps:
              - connect: true
              - request: {op: hello, id: 3}
                expect: {status: OK, request_id: 3}
          - id: cli.hello-expects-forbidden
            title: A deliberately wrong expectation (HELLO from the allowed user answered FORBIDDEN).
            requirements: [OP-1, AUTH-3]
            level: MUST
            tags: [cli-test, always-fails]
            steps:
              - connect: true
              - request: {op: hello, id: 4}
                expect: {status: FORBIDDEN}
          - id: cli.should-level
            title: A SHOULD-level scenario, selected only with --strict or its exact id.
            requirements: [TRANS-4]
            level: SHOULD
            tags: [cli-test]
            steps:
              - connect: true
        """;

    public ScenarioDirectory()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "confkit-cli-test-" + Guid.NewGuid().ToString("N")[..10]);
        Directory.CreateDirectory(System.IO.Path.Combine(Path, "schema"));
        File.Copy(
            System.IO.Path.Combine(Confkit.RepoRoot, "scenarios", "schema", "scenario.schema.json"),
            System.IO.Path.Combine(Path, "schema", "scenario.schema.json"));
        File.WriteAllText(System.IO.Path.Combine(Path, "cli.yaml"), Yaml);
        ReportDirectory = System.IO.Path.Combine(Path, "report");
    }

    public string Path { get; }

    public string ReportDirectory { get; }

    public void Dispose() => Directory.Delete(Path, recursive: true);
}
