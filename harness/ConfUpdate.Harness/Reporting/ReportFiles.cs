namespace ConfUpdate.Harness.Reporting;

/// <summary>Writes the three report files of a run into one directory.</summary>
public static class ReportFiles
{
    /// <summary>The JSON report's file name.</summary>
    public const string JsonName = "report.json";

    /// <summary>The JUnit XML report's file name.</summary>
    public const string JUnitName = "junit.xml";

    /// <summary>The Markdown summary's file name.</summary>
    public const string MarkdownName = "summary.md";

    /// <summary>Creates <paramref name="directory"/> if needed and writes report.json, junit.xml and summary.md; returns their paths.</summary>
    public static async Task<IReadOnlyList<string>> WriteAsync(
        string directory, RunReport report, CoverageMatrix? coverage, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        ArgumentNullException.ThrowIfNull(report);
        Directory.CreateDirectory(directory);
        string json = Path.Combine(directory, JsonName);
        string junit = Path.Combine(directory, JUnitName);
        string markdown = Path.Combine(directory, MarkdownName);
        await File.WriteAllTextAsync(json, JsonReportWriter.Write(report, coverage), cancellationToken).ConfigureAwait(false);
        await File.WriteAllTextAsync(junit, JUnitReportWriter.Write(report), cancellationToken).ConfigureAwait(false);
        await File.WriteAllTextAsync(markdown, MarkdownReportWriter.Write(report, coverage), cancellationToken).ConfigureAwait(false);
        return [json, junit, markdown];
    }
}
