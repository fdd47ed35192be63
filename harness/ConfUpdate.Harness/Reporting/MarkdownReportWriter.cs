using System.Globalization;
using System.Text;
using ConfUpdate.Harness.Running;

namespace ConfUpdate.Harness.Reporting;

/// <summary>
/// Writes the Markdown summary (<c>summary.md</c>, also what CI appends to <c>$GITHUB_STEP_SUMMARY</c>):
/// the verdict and counts, each failure with expected/actual and its rerun command, and the requirement
/// coverage matrix.
/// </summary>
public static class MarkdownReportWriter
{
    /// <summary>The whole summary.</summary>
    public static string Write(RunReport report, CoverageMatrix? coverage = null)
    {
        ArgumentNullException.ThrowIfNull(report);
        var md = new StringBuilder();
        RunMetadata m = report.Metadata;
        RunCounts c = report.Counts;
        md.AppendLine("# ConfUpdate conformance report").AppendLine();
        md.AppendLine(CultureInfo.InvariantCulture, $"**{Verdict(report)}**: {c.SummaryLine}").AppendLine();
        md.AppendLine("| | |").AppendLine("|---|---|");
        md.AppendLine(CultureInfo.InvariantCulture, $"| server | `{Cell(m.ServerCommand)}` |");
        if (m.ImplementationName is { } name)
        {
            md.AppendLine(CultureInfo.InvariantCulture, $"| implementation | {Cell(name)} |");
        }

        md.AppendLine(CultureInfo.InvariantCulture, $"| started | {m.StartedAt.UtcDateTime:yyyy-MM-dd HH:mm:ss} UTC |");
        md.AppendLine(CultureInfo.InvariantCulture, $"| duration | {m.Duration.TotalSeconds:0.00} s |");
        md.AppendLine(CultureInfo.InvariantCulture, $"| levels | {(m.Strict ? "MUST and SHOULD (--strict)" : "MUST")} |");
        if (m.Selection.Length > 0)
        {
            md.AppendLine(CultureInfo.InvariantCulture, $"| selection | `{Cell(m.Selection)}` |");
        }

        if (m.ExpectedFailuresFile is { } file)
        {
            md.AppendLine(CultureInfo.InvariantCulture, $"| expected failures | `{Cell(file)}` |");
        }

        md.AppendLine().AppendLine("| selected | ran | passed | failed | errors | expected failures | unexpected passes |");
        md.AppendLine("|---:|---:|---:|---:|---:|---:|---:|");
        md.AppendLine(CultureInfo.InvariantCulture,
            $"| {Math.Max(m.Selected, c.Total)} | {c.Total} | {c.Passed} | {c.Failed} | {c.Errors} | {c.ExpectedFailures} | {c.UnexpectedPasses} |");

        List<ReportedScenario> failures = [.. report.Scenarios.Where(s => s.CountsAsFailed)];
        if (failures.Count > 0)
        {
            md.AppendLine().AppendLine("## Failures");
            foreach (ReportedScenario failure in failures)
            {
                AppendFailure(md, failure);
            }
        }

        List<ReportedScenario> unexpected = [.. report.Scenarios.Where(s => s.Verdict == Reporting.Verdict.UnexpectedPass)];
        if (unexpected.Count > 0)
        {
            md.AppendLine().AppendLine("## Unexpected passes").AppendLine();
            md.AppendLine("Listed in the expected-failures file but passed: remove them from the list.").AppendLine();
            foreach (ReportedScenario s in unexpected)
            {
                md.AppendLine(CultureInfo.InvariantCulture, $"- `{s.Id}` (listed because: {s.ExpectedFailureReason})");
            }
        }

        List<ReportedScenario> expected = [.. report.Scenarios.Where(s => s.Verdict == Reporting.Verdict.ExpectedFailure)];
        if (expected.Count > 0)
        {
            md.AppendLine().AppendLine("## Expected failures").AppendLine();
            foreach (ReportedScenario s in expected)
            {
                md.AppendLine(CultureInfo.InvariantCulture, $"- `{s.Id}`: {s.ExpectedFailureReason} ({ReportText.Headline(s.Result)})");
            }
        }

        if (coverage is not null)
        {
            md.AppendLine().Append(Coverage(coverage));
        }

        return md.ToString();
    }

    /// <summary>The requirement coverage matrix and the list of uncovered requirements, as Markdown.</summary>
    public static string Coverage(CoverageMatrix coverage)
    {
        ArgumentNullException.ThrowIfNull(coverage);
        var md = new StringBuilder();
        md.AppendLine("## Requirement coverage").AppendLine();
        md.AppendLine("| requirement | level | status | scenarios |").AppendLine("|---|---|---|---|");
        foreach (RequirementCoverage row in coverage.Rows)
        {
            string scenarios = row.Covered
                ? string.Join(", ", row.Scenarios.Select(s => $"{Mark(s.Verdict)}`{s.ScenarioId}`"))
                : row.Level == "MUST" ? "**none: MUST requirement not covered**" : "none";
            md.AppendLine(CultureInfo.InvariantCulture, $"| {row.Id} | {row.Level} | {row.Status} | {scenarios} |");
        }

        List<RequirementCoverage> uncovered = [.. coverage.Uncovered];
        md.AppendLine();
        if (uncovered.Count == 0)
        {
            md.AppendLine("Every requirement is covered by at least one scenario.");
        }
        else
        {
            md.AppendLine(CultureInfo.InvariantCulture, $"### Uncovered requirements ({uncovered.Count})").AppendLine();
            foreach (RequirementCoverage row in uncovered)
            {
                md.AppendLine(CultureInfo.InvariantCulture, $"- {row.Id} ({row.Level}){(row.Level == "MUST" ? " **MUST: not covered**" : "")}");
            }
        }

        return md.ToString();
    }

    private static void AppendFailure(StringBuilder md, ReportedScenario failure)
    {
        ScenarioResult r = failure.Result;
        md.AppendLine().AppendLine(CultureInfo.InvariantCulture,
            $"### {(failure.Verdict == Reporting.Verdict.Error ? "ERROR" : "FAIL")} `{r.Scenario.Id}`: {r.Scenario.Title}").AppendLine();
        md.AppendLine(CultureInfo.InvariantCulture, $"Requirements: {string.Join(", ", r.Scenario.Requirements)} ({r.Scenario.Level}); file `{r.Scenario.SourceFile}`").AppendLine();
        md.AppendLine("```text").Append(Fence(ReportText.Details(r))).AppendLine("```");
        if (r.RerunCommand.Length > 0)
        {
            md.AppendLine().AppendLine(CultureInfo.InvariantCulture, $"Rerun: `{r.RerunCommand}`");
        }

        if (r.Transcript.Count > 0)
        {
            md.AppendLine().AppendLine("<details><summary>Transcript</summary>").AppendLine();
            md.AppendLine("```text").AppendLine(Fence(ReportText.Transcript(r))).AppendLine("```").AppendLine().AppendLine("</details>");
        }

        if (r.ServerStderrTail.Length > 0)
        {
            md.AppendLine().AppendLine("<details><summary>Server stderr (tail)</summary>").AppendLine();
            md.AppendLine("```text").AppendLine(Fence(r.ServerStderrTail.TrimEnd())).AppendLine("```").AppendLine().AppendLine("</details>");
        }
    }

    private static string Verdict(RunReport report) =>
        report.Metadata.Interrupted ? "Interrupted" : report.Conformant ? "Conformant" : "Not conformant";

    private static string Mark(Verdict? verdict) => verdict switch
    {
        null => "",
        Reporting.Verdict.Pass => "✅ ",
        Reporting.Verdict.UnexpectedPass => "✅❗ ",
        Reporting.Verdict.ExpectedFailure => "⚠️ ",
        _ => "❌ ",
    };

    // Table cells: a pipe would end the cell, a newline the row.
    private static string Cell(string text) => text.Replace("|", "\\|", StringComparison.Ordinal).ReplaceLineEndings(" ");

    // A fence inside captured output would end the code block early.
    private static string Fence(string text) => text.Replace("```", "`\u200b``", StringComparison.Ordinal);
}
