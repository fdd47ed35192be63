using System.Runtime.Versioning;
using System.Text.Json;
using System.Xml.Linq;
using CliWrap;
using CliWrap.Buffered;
using ConfUpdate.Harness.Environment;

namespace ConfUpdate.Harness.Tests.Cli;

[SupportedOSPlatform("linux")]
[Parallelizable(ParallelScope.Self)]
public sealed class ConfkitCliTests
{
    private ScenarioDirectory _scenarios = null!;

    [SetUp]
    public void CreateScenarios() => _scenarios = new ScenarioDirectory();

    [TearDown]
    public void DeleteScenarios() => _scenarios.Dispose();

    [Test]
    [CancelAfter(60_000)]
    public async Task List_ByTag_PrintsIdLevelTagsRequirementsWithoutRunning(CancellationToken cancellationToken)
    {
        BufferedCommandResult result = await Confkit.RunAsync(["list", "--scenarios", _scenarios.Path, "--tag", "hello"], cancellationToken);

        Assert.Multiple(() =>
        {
            Assert.That(result.ExitCode, Is.EqualTo(0), result.StandardError);
            Assert.That(result.StandardOutput.Trim().Split('\n'), Is.EqualTo(new[]
            {
                "cli.hello-ok\tMUST\tcli-test,hello\tOP-1\tHELLO from the allowed user is answered OK.",
            }));
            Assert.That(result.StandardError, Does.Contain("1 of 3 scenarios selected"));
        });
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task List_Strict_AddsShouldLevel(CancellationToken cancellationToken)
    {
        BufferedCommandResult result = await Confkit.RunAsync(["list", "--scenarios", _scenarios.Path, "--strict"], cancellationToken);

        Assert.That(result.StandardOutput.Trim().Split('\n').Select(l => l.Split('\t')[0]),
            Is.EqualTo(new[] { ScenarioDirectory.PassingId, ScenarioDirectory.FailingId, "cli.should-level" }));
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task Coverage_ListsUncoveredMustRequirements(CancellationToken cancellationToken)
    {
        BufferedCommandResult result = await Confkit.RunAsync(["coverage", "--scenarios", _scenarios.Path], cancellationToken);

        Assert.Multiple(() =>
        {
            Assert.That(result.ExitCode, Is.EqualTo(0), result.StandardError);
            Assert.That(result.StandardOutput, Does.Contain("OP-1\tMUST\tcli.hello-ok,cli.hello-expects-forbidden"));
            Assert.That(result.StandardOutput, Does.Contain("TRANS-1\tMUST\tUNCOVERED"));
            Assert.That(result.StandardOutput, Does.Match(@"Uncovered: .*TRANS-1 \(MUST\)"));
        });
    }

    [TestCase("--bogus", "confkit: unknown option --bogus for `confkit run`; did you mean")]
    [TestCase("--strcit", "confkit: unknown option --strcit for `confkit run`; did you mean --strict?")]
    [TestCase("--parallel 0", "--parallel must be between 1 and 1024")]
    [TestCase("--switch su", "--switch")]
    [TestCase("--switch runuser", "--switch takes auto, sudo, setpriv or credentials")]
    [TestCase("--role allowed", "--role takes ROLE=ACCOUNT")]
    [TestCase("--server ./my-server", "--server must contain {config}")]
    [TestCase("--time-scale 0.5", "--time-scale must be a number from 1 to 100")]
    [CancelAfter(60_000)]
    public async Task Run_BadOption_ExitsTwoWithAMessage(string options, string message, CancellationToken cancellationToken)
    {
        BufferedCommandResult result = await Confkit.RunAsync(["run", .. options.Split(' ')], cancellationToken);

        Assert.Multiple(() =>
        {
            Assert.That(result.ExitCode, Is.EqualTo(2));
            Assert.That(result.StandardError, Does.Contain(message));
            Assert.That(result.StandardError, Does.Contain("confkit --help"));
            Assert.That(result.StandardError.TrimEnd().Split('\n'), Has.Length.EqualTo(1), "one line");
        });
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task Run_UnclosedQuoteInServer_ExitsTwoWithOneLine(CancellationToken cancellationToken)
    {
        BufferedCommandResult result = await Confkit.RunAsync(["run", "--server", "'/usr/bin/my-server --config {config}"], cancellationToken);

        Assert.Multiple(() =>
        {
            Assert.That(result.ExitCode, Is.EqualTo(2));
            Assert.That(result.StandardError, Does.StartWith("confkit: --server is not a valid command line: Unclosed single quote"));
            Assert.That(result.StandardError.TrimEnd().Split('\n'), Has.Length.EqualTo(1), "one line, no stack trace");
        });
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task List_AfterOptions_ListsWithThoseOptions(CancellationToken cancellationToken)
    {
        BufferedCommandResult result = await Confkit.RunAsync(["--scenarios", _scenarios.Path, "list"], cancellationToken);

        Assert.Multiple(() =>
        {
            Assert.That(result.ExitCode, Is.Zero, result.StandardError);
            Assert.That(result.StandardOutput, Does.Contain(ScenarioDirectory.PassingId), "the scenarios of --scenarios, not the suite's");
            Assert.That(result.StandardOutput, Does.Not.Contain("size.datagram-max-accepted"));
        });
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task Run_SelectionMatchingNothing_ExitsTwo(CancellationToken cancellationToken)
    {
        BufferedCommandResult result = await Confkit.RunAsync(["run", "--scenarios", _scenarios.Path, "--id", "no.such.*"], cancellationToken);

        Assert.Multiple(() =>
        {
            Assert.That(result.ExitCode, Is.EqualTo(2));
            Assert.That(result.StandardError, Does.Contain("no scenario matches the selection (--id no.such.*)"));
        });
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task Run_AsNonRootWithoutSudo_ExitsTwoSayingWhatIsMissing(CancellationToken cancellationToken)
    {
        // Arrange: a copy of the CLI that nobody can read (the checkout may sit under a 0700 home), an empty
        // directory as the whole PATH, and nobody's identity with no supplementary groups.
        using var staging = new StagingDirectory();
        string cli = staging.Stage(Confkit.OutputDirectory, "cli");
        string emptyPath = Directory.CreateDirectory(Path.Combine(staging.Path, "empty-bin")).FullName;
        File.SetUnixFileMode(emptyPath, (UnixFileMode)0b111_101_101);

        // Act
        BufferedCommandResult result = await CliWrap.Cli.Wrap("setpriv")
            .WithArguments(["--reuid=65534", "--regid=65534", "--clear-groups", "--",
                Confkit.Dotnet, Path.Combine(cli, "confkit.dll"), "run", "--scenarios", _scenarios.Path])
            .WithEnvironmentVariables(env => env.Set("PATH", emptyPath).Set("HOME", "/nonexistent").Set("NO_COLOR", "1"))
            .WithWorkingDirectory("/")
            .WithValidation(CommandResultValidation.None)
            .ExecuteBufferedAsync(cancellationToken);

        // Assert: without sudo on the machine the message names it; where CI installs sudo, nobody has no
        // passwordless sudo and the preflight says so. Either way: exit 2 and what to do.
        Assert.Multiple(() =>
        {
            Assert.That(result.ExitCode, Is.EqualTo(2), result.StandardOutput + result.StandardError);
            Assert.That(result.StandardError, Does.Contain("environment error"));
            Assert.That(result.StandardError, Does.Contain("sudo"));
            Assert.That(result.StandardError, Does.Contain("65534").Or.Contain("nobody"));
        });
    }

    [Test]
    [CancelAfter(120_000)]
    public async Task Run_OneScenarioAgainstReferenceServer_ExitsZeroAndWritesReports(CancellationToken cancellationToken)
    {
        BufferedCommandResult result = await Confkit.RunAsync(
            ["run", "--scenarios", _scenarios.Path, "--id", ScenarioDirectory.PassingId, "--report-dir", _scenarios.ReportDirectory], cancellationToken);

        Assert.Multiple(() =>
        {
            Assert.That(result.ExitCode, Is.EqualTo(0), result.StandardOutput + result.StandardError);
            Assert.That(result.StandardOutput, Does.Contain($"PASS  {ScenarioDirectory.PassingId}"));
            Assert.That(Confkit.LastLine(result), Is.EqualTo("1 passed, 0 failed, 0 skipped"));
            Assert.That(File.Exists(Path.Combine(_scenarios.ReportDirectory, "summary.md")), Is.True);
        });
        using JsonDocument json = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(_scenarios.ReportDirectory, "report.json"), cancellationToken));
        XDocument junit = XDocument.Load(Path.Combine(_scenarios.ReportDirectory, "junit.xml"));
        Assert.Multiple(() =>
        {
            Assert.That(json.RootElement.GetProperty("conformant").GetBoolean(), Is.True);
            Assert.That(json.RootElement.GetProperty("scenarios")[0].GetProperty("id").GetString(), Is.EqualTo(ScenarioDirectory.PassingId));
            Assert.That((int)junit.Root!.Attribute("tests")!, Is.EqualTo(1));
        });
    }

    [Test]
    [CancelAfter(120_000)]
    public async Task Run_FailingScenario_ExitsOneWithDetailsAndRerunLine(CancellationToken cancellationToken)
    {
        string summary = Path.Combine(_scenarios.Path, "step-summary.md");
        BufferedCommandResult result = await CliWrap.Cli.Wrap(Confkit.Dotnet)
            .WithArguments([Confkit.Assembly, "run", "--scenarios", _scenarios.Path, "--tag", "cli-test", "--report-dir", _scenarios.ReportDirectory])
            .WithEnvironmentVariables(env => env.Set("NO_COLOR", "1").Set("GITHUB_STEP_SUMMARY", summary).Set("CONFKIT_RERUN_PREFIX", "./run-kit.sh"))
            .WithValidation(CommandResultValidation.None)
            .ExecuteBufferedAsync(cancellationToken);

        Assert.Multiple(() =>
        {
            Assert.That(result.ExitCode, Is.EqualTo(1), result.StandardOutput + result.StandardError);
            Assert.That(result.StandardOutput, Does.Contain($"FAIL  {ScenarioDirectory.FailingId}"));
            Assert.That(result.StandardOutput, Does.Contain("expected: "));
            Assert.That(result.StandardOutput, Does.Contain("actual:   "));
            Assert.That(result.StandardOutput, Does.Contain("transcript:"));
            Assert.That(result.StandardOutput, Does.Contain($"rerun: ./run-kit.sh --scenarios {_scenarios.Path} --id {ScenarioDirectory.FailingId}"));
            Assert.That(Confkit.LastLine(result), Is.EqualTo("1 passed, 1 failed, 0 skipped"));
            Assert.That(File.ReadAllText(summary), Does.Contain("### FAIL `cli.hello-expects-forbidden`"));
        });
        // The failure's stderr tail is the shared server's lines while that scenario ran: its own HELLO, not
        // the server's start-up line, which came before any scenario.
        using var report = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(_scenarios.ReportDirectory, "report.json")));
        string tail = report.RootElement.GetProperty("scenarios").EnumerateArray()
            .Single(e => e.GetProperty("id").GetString() == ScenarioDirectory.FailingId).GetProperty("serverStderrTail").GetString()!;
        Assert.That(tail, Does.Contain("op=HELLO").And.Not.Contain("listening on"), tail);
    }

    [Test]
    [CancelAfter(120_000)]
    public async Task Run_EventuallyThatNeverMatches_RetriesThenFailsWithTheLastMismatch(CancellationToken cancellationToken)
    {
        // 3 s: at load average ~37 on 2 cores one connect + HELLO attempt took 684 ms, so 600 ms allowed only one.
        await File.WriteAllTextAsync(Path.Combine(_scenarios.Path, "eventually.yaml"), """
            scenarios:
              - id: cli.eventually-never
                title: HELLO retried for a FORBIDDEN that never comes.
                requirements: [OP-1]
                level: MUST
                tags: [eventually-test]
                steps:
                  - eventually:
                      within_ms: 3000
                      every_ms: 100
                      steps:
                        - {conn: e, connect: true}
                        - {conn: e, request: {op: hello}, expect: {status: FORBIDDEN}}
            """, cancellationToken);

        BufferedCommandResult result = await Confkit.RunAsync(
            ["run", "--scenarios", _scenarios.Path, "--tag", "eventually-test", "--report-dir", _scenarios.ReportDirectory], cancellationToken);

        Assert.Multiple(() =>
        {
            Assert.That(result.ExitCode, Is.EqualTo(1), result.StandardOutput + result.StandardError);
            // Retried: at least a second attempt (the transcript shows the last ones).
            Assert.That(result.StandardOutput, Does.Match(@"eventually: attempt ([2-9]|\d{2,}) did not match"));
            Assert.That(result.StandardOutput, Does.Match(@"still after ([2-9]|\d{2,}) attempts in \d+ ms"));
            Assert.That(Confkit.LastLine(result), Is.EqualTo("0 passed, 1 failed, 0 skipped"));
        });
    }

    [Test]
    [CancelAfter(120_000)]
    public async Task Run_ExpectedFailures_ExcuseFailuresAndReportUnexpectedPasses(CancellationToken cancellationToken)
    {
        string list = Path.Combine(_scenarios.Path, "expected.txt");
        await File.WriteAllTextAsync(list, $"{ScenarioDirectory.FailingId}  # deliberately wrong\n{ScenarioDirectory.PassingId}  # listed but passes\n", cancellationToken);
        string[] common = ["run", "--scenarios", _scenarios.Path, "--tag", "cli-test", "--expected-failures", list, "--report-dir", _scenarios.ReportDirectory];

        BufferedCommandResult lenient = await Confkit.RunAsync(common, cancellationToken);
        BufferedCommandResult strict = await Confkit.RunAsync([.. common, "--fail-on-unexpected-pass"], cancellationToken);

        Assert.Multiple(() =>
        {
            Assert.That(lenient.ExitCode, Is.EqualTo(0), lenient.StandardOutput + lenient.StandardError);
            Assert.That(lenient.StandardOutput, Does.Contain($"XPASS {ScenarioDirectory.PassingId}"));
            Assert.That(lenient.StandardOutput, Does.Contain($"XFAIL {ScenarioDirectory.FailingId}"));
            Assert.That(Confkit.LastLine(lenient), Is.EqualTo("1 passed, 0 failed, 1 skipped"));
            Assert.That(strict.ExitCode, Is.EqualTo(1));
        });
    }

    [Test]
    [CancelAfter(120_000)]
    public async Task Run_ServerThatCannotStart_ExitsThree_ReportingItOnceWithCommandStatusAndStderr(CancellationToken cancellationToken)
    {
        BufferedCommandResult result = await Confkit.RunAsync(
            ["run", "--scenarios", _scenarios.Path, "--server", "/bin/sh -c 'echo cannot bind the socket >&2; exit 7' {config}", "--timeout", "5",
             "--report-dir", _scenarios.ReportDirectory], cancellationToken);

        string all = result.StandardOutput + result.StandardError;
        Assert.Multiple(() =>
        {
            Assert.That(result.ExitCode, Is.EqualTo(3), all);
            Assert.That(all.Split("did not start").Length - 1, Is.EqualTo(1), "reported once: " + all);
            Assert.That(result.StandardError, Does.Contain("confkit: the server under test did not start (first needed by cli.")
                .And.Contain("`/bin/sh -c 'echo cannot bind the socket >&2; exit 7' /").And.Contain("exited with code 7").And.Contain("cannot bind the socket"));
            Assert.That(result.StandardError, Does.Contain("run stopped after 1 of 2 scenarios"));
            Assert.That(result.StandardOutput, Does.Not.Contain("ERROR "));
            Assert.That(Confkit.LastLine(result), Is.EqualTo("0 passed, 1 failed, 0 skipped"));
        });
    }
}
