using System.Text;
using ConfUpdate.Harness.Running;

namespace ConfUpdate.Harness.Reporting;

/// <summary>Plain-text pieces shared by the writers and the CLI: a failure's details, the transcript, suite names.</summary>
public static class ReportText
{
    /// <summary>The suite (family) a scenario belongs to: its file's name without extension, else its first tag.</summary>
    public static string Family(ReportedScenario scenario)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        string file = scenario.Result.Scenario.SourceFile;
        if (file.Length > 0)
        {
            return Path.GetFileNameWithoutExtension(file);
        }

        return scenario.Result.Scenario.Tags.Count > 0 ? scenario.Result.Scenario.Tags[0] : "scenarios";
    }

    /// <summary>The first line that says what went wrong.</summary>
    public static string Headline(ScenarioResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        if (result.Failures.Count > 0)
        {
            return result.Failures[0];
        }

        return result.Expected is not null || result.Actual is not null
            ? $"expected {result.Expected ?? "?"}, got {result.Actual ?? "?"}"
            : result.Outcome.ToString();
    }

    /// <summary>Expected versus actual and every problem found, one per line.</summary>
    public static string Details(ScenarioResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var text = new StringBuilder();
        if (result.Expected is not null)
        {
            text.Append("expected: ").AppendLine(result.Expected);
        }

        if (result.Actual is not null)
        {
            text.Append("actual:   ").AppendLine(result.Actual);
        }

        foreach (string failure in result.Failures)
        {
            text.Append("- ").AppendLine(failure);
        }

        return text.ToString();
    }

    /// <summary>The transcript, one entry per line.</summary>
    public static string Transcript(ScenarioResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return string.Join('\n', result.Transcript.Select(t => t.ToString()));
    }

    /// <summary>Everything a person needs to investigate one result: details, transcript, stderr tail, rerun command.</summary>
    public static string FullText(ReportedScenario scenario)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        ScenarioResult result = scenario.Result;
        var text = new StringBuilder();
        text.Append(result.Scenario.Id).Append(" — ").AppendLine(result.Scenario.Title);
        text.Append("requirements: ").AppendLine(string.Join(", ", result.Scenario.Requirements));
        if (scenario.ExpectedFailureReason is { } reason)
        {
            text.Append("listed as expected failure: ").AppendLine(reason);
        }

        text.Append(Details(result));
        if (result.Transcript.Count > 0)
        {
            text.AppendLine("transcript:").AppendLine(Transcript(result));
        }

        if (result.ServerStderrTail.Length > 0)
        {
            text.AppendLine("server stderr (tail):").AppendLine(result.ServerStderrTail.TrimEnd());
        }

        if (result.RerunCommand.Length > 0)
        {
            text.Append("rerun: ").AppendLine(result.RerunCommand);
        }

        return text.ToString();
    }
}
