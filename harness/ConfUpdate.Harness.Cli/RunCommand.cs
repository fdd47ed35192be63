using System.CommandLine;
using System.Diagnostics;
using ConfUpdate.Harness.Environment;
using ConfUpdate.Harness.Reporting;
using ConfUpdate.Harness.Running;
using ConfUpdate.Harness.Selection;

namespace ConfUpdate.Harness.Cli;

/// <summary><c>confkit run</c> (the default): preflight, stage, run, report, and the exit code.</summary>
internal static class RunCommand
{
    /// <summary>Set by run-kit.sh so that rerun hints name the script instead of the assembly path.</summary>
    public const string RerunPrefixVariable = "CONFKIT_RERUN_PREFIX";

    public static Command Create(KitIo io, KitPaths paths, Func<CancellationToken, CancellationToken> interruptible)
    {
        var options = new KitOptions(withRunOptions: true);
        var command = new Command("run", HelpText.Run);
        Configure(command, options, io, paths, interruptible);
        return command;
    }

    /// <summary>Adds the run options and action to a command (also the root command: running is the default).</summary>
    public static void Configure(Command command, KitOptions options, KitIo io, KitPaths paths, Func<CancellationToken, CancellationToken> interruptible)
    {
        options.AddTo(command);
        command.SetAction((parse, cancellationToken) => KitApplication.GuardAsync(
            io, () => ExecuteAsync(options.Read(parse), io, paths, interruptible(cancellationToken))));
    }

    public static async Task<int> ExecuteAsync(KitSettings settings, KitIo io, KitPaths paths, CancellationToken cancellationToken)
    {
        var roles = new Dictionary<string, string>(RunOptions.DefaultRoles, StringComparer.Ordinal);
        foreach ((string role, string account) in settings.Roles)
        {
            roles[role] = account;
        }

        // Preflight first: a user who cannot switch users (no root, no passwordless sudo) or a missing account
        // is reported before anything else, with what to do about it; a missing build comes second. One
        // check covers both the switch and the staged files' readability (each costs process starts).
        UserSwitch userSwitch = UserSwitch.Detect(settings.Switch);
        string dotnet = DotnetHost.Find();
        KitBinaries? staged = null;
        UsageException? notBuilt = null;
        try
        {
            staged = KitBinaries.Stage(paths, dotnet, settings.Server);
        }
        catch (UsageException ex)
        {
            notBuilt = ex;
        }

        using KitBinaries? disposeStaged = staged;
        await EnvironmentCheck.VerifyAsync(
            userSwitch, roles, [dotnet], staged is null ? [] : [staged.ProbeAssembly, staged.ClientAssembly], cancellationToken).ConfigureAwait(false);
        KitBinaries binaries = staged ?? throw notBuilt!;
        KitSuite suite = KitSuite.Load(settings, paths);
        if (suite.Selected.Count == 0)
        {
            throw new UsageException(
                $"no scenario matches the selection ({(settings.Selection.IsFiltered ? settings.Selection.ToString() : "MUST level")}) among {suite.All.Count} in {suite.Directory}; see `confkit list`.");
        }

        ExpectedFailureList expected = LoadExpectedFailures(settings.ExpectedFailures);
        foreach (ExpectedFailure unknown in expected.Unknown(suite.All))
        {
            io.Warn($"{expected.Source}:{unknown.Line}: '{unknown.Id}' names no scenario in {suite.Directory}.");
        }


        var runOptions = new RunOptions(binaries.ServerCommand, binaries.ProbeCommand, binaries.ClientCommand, userSwitch)
        {
            Roles = roles,
            RerunTemplate = RerunTemplate(settings, io, paths),
        };
        if (settings.Parallel is { } parallel)
        {
            runOptions = runOptions with { Parallelism = parallel };
        }

        if (settings.TimeoutSeconds is { } timeout)
        {
            runOptions = runOptions with { ServerReadyTimeout = TimeSpan.FromSeconds(timeout) };
        }

        if (settings.TimeScale is { } scale)
        {
            runOptions = runOptions with { TimeScale = scale };
        }

        KitConsole console = io.Console(settings.NoColor);
        console.Raw($"confkit: {suite.Selected.Count} scenarios against {DisplayServer(settings, paths)} (switching users with {userSwitch})");
        DateTimeOffset started = DateTimeOffset.UtcNow;
        var clock = Stopwatch.StartNew();
        var results = new List<ReportedScenario>();
        bool interrupted = false;
        var display = new RunDisplay(console);
        var runner = new ScenarioRunner(runOptions);
        // A server that does not start would fail every scenario the same way: the first such result stops the
        // run, and it is reported once (its command, exit status and stderr), not once per scenario.
        using var stopRun = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        ScenarioResult? didNotStart = null;
        try
        {
            await display.ProgressAsync(suite.Selected.Count, async onResult =>
            {
                await foreach (ScenarioResult result in runner.RunAsync(suite.Selected, stopRun.Token).ConfigureAwait(false))
                {
                    if (didNotStart is not null)
                    {
                        continue;
                    }

                    ReportedScenario reported = ReportedScenario.Classify(result, expected.Reasons);
                    results.Add(reported);
                    if (result.ServerFailed)
                    {
                        didNotStart = result;
                        await stopRun.CancelAsync().ConfigureAwait(false);
                        continue;
                    }

                    onResult(reported);
                }

                return 0;
            }).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            interrupted = true;
        }
        catch (OperationCanceledException) when (didNotStart is not null)
        {
            // The run was stopped on purpose; the runner has stopped its servers and probes.
        }

        if (didNotStart is not null)
        {
            // The runner's message starts "the (shared) server under test did not start: "; say it once here.
            string detail = didNotStart.Failures[0];
            detail = detail[(detail.IndexOf("did not start: ", StringComparison.Ordinal) is int at and >= 0 ? at + "did not start: ".Length : 0)..];
            io.Error.WriteLine($"confkit: the server under test did not start (first needed by {didNotStart.Scenario.Id}): {detail}");
            io.Error.WriteLine($"confkit: run stopped after {results.Count} of {suite.Selected.Count} scenarios; every other scenario needs a running server.");
        }

        var report = new RunReport
        {
            Metadata = new RunMetadata(DisplayServer(settings, paths), started, clock.Elapsed)
            {
                ImplementationName = runner.ServerHello is { } hello ? $"{hello.ServerName} {hello.ServerVersion}" : null,
                Strict = settings.Selection.Strict,
                Selection = settings.Selection.ToString(),
                ExpectedFailuresFile = settings.ExpectedFailures,
                Interrupted = interrupted,
                Selected = suite.Selected.Count,
            },
            Scenarios = results,
        };
        // Every loaded scenario counts for coverage: a deselected one shows as "not run", so "uncovered" means
        // that the suite has no scenario for the requirement at all.
        CoverageMatrix? coverage = suite.Index is null ? null : CoverageMatrix.Build(suite.Index, suite.All, report);
        string reportDirectory = settings.ReportDirectory ?? paths.DefaultReportDirectory;
        IReadOnlyList<string> files = await ReportFiles.WriteAsync(reportDirectory, report, coverage, CancellationToken.None).ConfigureAwait(false);
        AppendStepSummary(io, report, coverage);

        display.Failures(didNotStart is null ? report : report with { Scenarios = [.. results.Where(r => !r.Result.ServerFailed)] });
        display.Summary(report, coverage);
        console.Raw($"reports: {string.Join(", ", files)}");
        if (interrupted)
        {
            io.Error.WriteLine($"confkit: interrupted after {results.Count} of {suite.Selected.Count} scenarios; processes and temporary files cleaned up.");
        }

        // The summary line for a human (scripts read report.json; run-tests.sh does).
        console.Raw(report.Counts.SummaryLine);
        return ExitCode(report, settings.FailOnUnexpectedPass);
    }

    /// <summary>The one mapping from a report to the exit code (see <see cref="ExitCodes"/>).</summary>
    public static int ExitCode(RunReport report, bool failOnUnexpectedPass)
    {
        if (report.Metadata.Interrupted)
        {
            return ExitCodes.Interrupted;
        }

        if (report.ServerFailed)
        {
            return ExitCodes.ServerFailed;
        }

        if (report.Scenarios.Any(s => s.Verdict == Verdict.Error))
        {
            // The kit could not carry a scenario out (probe died, environment): not a verdict on the server.
            return ExitCodes.UsageOrEnvironment;
        }

        if (!report.Conformant || (failOnUnexpectedPass && report.Counts.UnexpectedPasses > 0))
        {
            return ExitCodes.NonConformant;
        }

        return ExitCodes.Conformant;
    }

    private static ExpectedFailureList LoadExpectedFailures(string? path)
    {
        if (path is null)
        {
            return ExpectedFailureList.Empty;
        }

        if (!File.Exists(path))
        {
            throw new UsageException($"--expected-failures {path}: no such file.");
        }

        try
        {
            return ExpectedFailureList.Load(path);
        }
        catch (FormatException ex)
        {
            throw new UsageException(ex.Message);
        }
    }

    private static string DisplayServer(KitSettings settings, KitPaths paths)
    {
        if (settings.Server is { } server)
        {
            return server;
        }

        string? output = paths.Output("server/ConfUpdate.Server", "confupdate-server.dll");
        return output is null ? "the reference server" : KitBinaries.ReferenceServerCommand("dotnet", output);
    }

    private static string RerunTemplate(KitSettings settings, KitIo io, KitPaths paths)
    {
        var words = new List<string>();
        if (settings.Server is { } server)
        {
            words.AddRange(["--server", server]);
        }

        if (settings.ScenariosDirectory is { } scenarios)
        {
            words.AddRange(["--scenarios", Path.GetFullPath(scenarios)]);
        }

        if (settings.Switch != SwitchStrategy.Auto)
        {
            words.AddRange(["--switch", settings.Switch.ToString().ToLowerInvariant()]);
        }

        foreach ((string role, string account) in settings.Roles)
        {
            words.AddRange(["--role", $"{role}={account}"]);
        }

        string prefix = io.Environment(RerunPrefixVariable) is { Length: > 0 } fromScript
            ? fromScript
            : ShellWords.Join([.. paths.SelfCommand, "run"]);
        return $"{prefix} {(words.Count > 0 ? ShellWords.Join(words) + " " : "")}--id {{id}}";
    }

    private static void AppendStepSummary(KitIo io, RunReport report, CoverageMatrix? coverage)
    {
        if (io.Environment("GITHUB_STEP_SUMMARY") is not { Length: > 0 } path)
        {
            return;
        }

        try
        {
            File.AppendAllText(path, MarkdownReportWriter.Write(report, coverage) + "\n");
        }
        catch (IOException ex)
        {
            io.Warn($"cannot append to $GITHUB_STEP_SUMMARY ({path}): {ex.Message}");
        }
        catch (UnauthorizedAccessException ex)
        {
            io.Warn($"cannot append to $GITHUB_STEP_SUMMARY ({path}): {ex.Message}");
        }
    }
}
