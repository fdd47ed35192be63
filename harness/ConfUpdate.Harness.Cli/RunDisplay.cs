using System.Globalization;
using ConfUpdate.Harness.Reporting;
using ConfUpdate.Harness.Running;
using Spectre.Console;

namespace ConfUpdate.Harness.Cli;

/// <summary>What <c>confkit run</c> shows: a line per scenario as it finishes, a progress bar while running, failure details and a summary table.</summary>
internal sealed class RunDisplay(KitConsole console)
{
    // A burst scenario's transcript can run to thousands of lines; the console shows the end, report.json has all.
    private const int MaxTranscriptLines = 80;

    /// <summary>Runs <paramref name="body"/> with live progress on a terminal; <c>body</c> calls the callback per finished scenario.</summary>
    public async Task<T> ProgressAsync<T>(int total, Func<Action<ReportedScenario>, Task<T>> body)
    {
        if (!console.Live)
        {
            return await body(s => console.Raw(PlainLine(s)));
        }

        return await console.Ansi.Progress()
            .AutoClear(true)
            .HideCompleted(false)
            .Columns(new SpinnerColumn(), new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
            .StartAsync(async context =>
            {
                ProgressTask task = context.AddTask($"running {total} scenarios", maxValue: Math.Max(1, total));
                int done = 0;
                int failed = 0;
                return await body(s =>
                {
                    console.MarkupLine(MarkupLine(s));
                    done++;
                    failed += s.CountsAsFailed ? 1 : 0;
                    task.Description = failed > 0 ? $"{done}/{total} [red]{failed} failed[/]" : $"{done}/{total}";
                    task.Increment(1);
                });
            });
    }

    public void Failures(RunReport report)
    {
        foreach (ReportedScenario scenario in report.Scenarios.Where(s => s.CountsAsFailed))
        {
            ScenarioResult r = scenario.Result;
            console.Raw("");
            console.MarkupLine($"[bold {Color(scenario.Verdict)}]{Label(scenario.Verdict)}[/] [bold]{Markup.Escape(r.Scenario.Id)}[/]: {Markup.Escape(r.Scenario.Title)}");
            console.Raw($"  requirements: {string.Join(", ", r.Scenario.Requirements)} ({r.Scenario.Level}); file {r.Scenario.SourceFile}");
            foreach (string line in ReportText.Details(r).TrimEnd().Split('\n'))
            {
                console.Raw("  " + line);
            }

            if (r.Transcript.Count > 0)
            {
                console.Raw("  transcript:");
                int skipped = Math.Max(0, r.Transcript.Count - MaxTranscriptLines);
                if (skipped > 0)
                {
                    console.Raw($"    ... {skipped} earlier entries (all in report.json)");
                }

                foreach (TranscriptEntry entry in r.Transcript.Skip(skipped))
                {
                    console.Raw("    " + entry);
                }
            }

            if (r.ServerStderrTail.Trim().Length > 0)
            {
                console.Raw("  server stderr (tail):");
                foreach (string line in r.ServerStderrTail.TrimEnd().Split('\n'))
                {
                    console.Raw("    " + line);
                }
            }

            if (r.RerunCommand.Length > 0)
            {
                console.Raw("  rerun: " + r.RerunCommand);
            }
        }

        foreach (ReportedScenario scenario in report.Scenarios.Where(s => s.Verdict == Verdict.UnexpectedPass))
        {
            console.MarkupLine($"[cyan]XPASS[/] {Markup.Escape(scenario.Id)} passed although listed as an expected failure ({Markup.Escape(scenario.ExpectedFailureReason ?? "")}); remove it from the list.");
        }
    }

    public void Summary(RunReport report, CoverageMatrix? coverage)
    {
        RunCounts c = report.Counts;
        var table = new Table().Border(TableBorder.Rounded).Title(report.Metadata.Interrupted ? "Interrupted"
            : report.ServerFailed ? "[magenta]Server under test failed[/]"
            : report.Conformant ? "[green]Conformant[/]" : "[red]Not conformant[/]");
        table.AddColumn("selected").AddColumn("passed").AddColumn("failed").AddColumn("errors").AddColumn("expected failures").AddColumn("unexpected passes").AddColumn("time");
        table.AddRow(
            report.Metadata.Selected.ToString(CultureInfo.InvariantCulture),
            $"[green]{c.Passed}[/]",
            c.Failed > 0 ? $"[red]{c.Failed}[/]" : "0",
            c.Errors > 0 ? $"[magenta]{c.Errors}[/]" : "0",
            c.ExpectedFailures.ToString(CultureInfo.InvariantCulture),
            c.UnexpectedPasses > 0 ? $"[cyan]{c.UnexpectedPasses}[/]" : "0",
            $"{report.Metadata.Duration.TotalSeconds:0.00} s");
        console.Raw("");
        console.Ansi.Write(table);
        if (coverage is not null)
        {
            int covered = coverage.Rows.Count(r => r.Covered);
            List<string> failing = [.. coverage.Rows.Where(r => r.Status == "fail").Select(r => r.Id)];
            List<string> uncoveredMust = [.. coverage.UncoveredMust.Select(r => r.Id)];
            console.Raw($"requirements: {covered} of {coverage.Rows.Count} covered by the suite"
                + (failing.Count > 0 ? $"; failing: {string.Join(", ", failing)}" : "")
                + (uncoveredMust.Count > 0 ? $"; MUST not covered: {string.Join(", ", uncoveredMust)}" : ""));
        }
    }

    public static string Label(Verdict verdict) => verdict switch
    {
        Verdict.Pass => "PASS",
        Verdict.Fail => "FAIL",
        Verdict.Error => "ERROR",
        Verdict.ExpectedFailure => "XFAIL",
        _ => "XPASS",
    };

    private static string Color(Verdict verdict) => verdict switch
    {
        Verdict.Pass => "green",
        Verdict.Fail => "red",
        Verdict.Error => "magenta",
        Verdict.ExpectedFailure => "yellow",
        _ => "cyan",
    };

    private static string PlainLine(ReportedScenario s) =>
        $"{Label(s.Verdict),-5} {s.Id} ({s.Result.Duration.TotalMilliseconds:0} ms){Headline(s)}";

    private static string MarkupLine(ReportedScenario s) =>
        $"[{Color(s.Verdict)}]{Label(s.Verdict),-5}[/] {Markup.Escape(s.Id)} [grey]({s.Result.Duration.TotalMilliseconds:0} ms)[/]{Markup.Escape(Headline(s))}";

    private static string Headline(ReportedScenario s) => s.Verdict == Verdict.Pass ? "" : ": " + ReportText.Headline(s.Result);
}
