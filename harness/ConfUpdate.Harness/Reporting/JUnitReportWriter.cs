using System.Globalization;
using System.Text;
using System.Xml;
using System.Xml.Linq;

namespace ConfUpdate.Harness.Reporting;

/// <summary>
/// Writes a run as JUnit XML (the format CI systems render): one <c>testsuite</c> per scenario family
/// (scenario file), one <c>testcase</c> per scenario named by its id. Failures carry expected versus
/// actual; <c>system-out</c> holds the transcript, the server's stderr tail and the rerun command.
/// Expected failures are <c>skipped</c> with their reason.
/// </summary>
public static class JUnitReportWriter
{
    /// <summary>The report as an XML document.</summary>
    public static XDocument ToXml(RunReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        RunCounts total = report.Counts;
        var root = new XElement("testsuites",
            new XAttribute("name", "confkit"),
            new XAttribute("tests", total.Total),
            new XAttribute("failures", total.Failed),
            new XAttribute("errors", total.Errors),
            new XAttribute("skipped", total.ExpectedFailures),
            new XAttribute("time", Seconds(report.Metadata.Duration)),
            new XAttribute("timestamp", report.Metadata.StartedAt.ToString("yyyy-MM-ddTHH:mm:ss", CultureInfo.InvariantCulture)));
        foreach (IGrouping<string, ReportedScenario> family in report.Scenarios.GroupBy(ReportText.Family).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            RunCounts counts = RunCounts.Of([.. family]);
            var suite = new XElement("testsuite",
                new XAttribute("name", family.Key),
                new XAttribute("tests", counts.Total),
                new XAttribute("failures", counts.Failed),
                new XAttribute("errors", counts.Errors),
                new XAttribute("skipped", counts.ExpectedFailures),
                new XAttribute("time", Seconds(TimeSpan.FromTicks(family.Sum(s => s.Result.Duration.Ticks)))),
                new XAttribute("timestamp", report.Metadata.StartedAt.ToString("yyyy-MM-ddTHH:mm:ss", CultureInfo.InvariantCulture)),
                new XElement("properties",
                    Property("server", report.Metadata.ServerCommand),
                    report.Metadata.ImplementationName is { } name ? Property("implementation", name) : null));
            foreach (ReportedScenario scenario in family)
            {
                suite.Add(TestCase(family.Key, scenario));
            }

            root.Add(suite);
        }

        return new XDocument(new XDeclaration("1.0", "utf-8", null), root);
    }

    /// <summary>The report as XML text.</summary>
    public static string Write(RunReport report)
    {
        // A stream, not a StringBuilder: the declaration must say utf-8, which is what the file holds.
        using var stream = new MemoryStream();
        using (var writer = XmlWriter.Create(stream, new XmlWriterSettings { Indent = true, Encoding = new UTF8Encoding(false) }))
        {
            ToXml(report).Save(writer);
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }

    private static XElement TestCase(string family, ReportedScenario scenario)
    {
        Running.ScenarioResult result = scenario.Result;
        var testCase = new XElement("testcase",
            new XAttribute("name", scenario.Id),
            new XAttribute("classname", "confkit." + family),
            new XAttribute("time", Seconds(result.Duration)),
            new XAttribute("file", result.Scenario.SourceFile));
        var properties = new XElement("properties",
            Property("level", result.Scenario.Level),
            Property("requirements", string.Join(' ', result.Scenario.Requirements)),
            Property("tags", string.Join(' ', result.Scenario.Tags)));
        testCase.Add(properties);
        switch (scenario.Verdict)
        {
            case Verdict.Fail:
                testCase.Add(new XElement("failure",
                    new XAttribute("message", Clean(ReportText.Headline(result))),
                    new XAttribute("type", "NonConformance"),
                    Clean(ReportText.Details(result))));
                break;
            case Verdict.Error:
                testCase.Add(new XElement("error",
                    new XAttribute("message", Clean(ReportText.Headline(result))),
                    new XAttribute("type", result.ServerFailed ? "ServerFailed" : "KitError"),
                    Clean(ReportText.Details(result))));
                break;
            case Verdict.ExpectedFailure:
                testCase.Add(new XElement("skipped",
                    new XAttribute("message", Clean($"expected failure: {scenario.ExpectedFailureReason}; {ReportText.Headline(result)}"))));
                break;
            case Verdict.UnexpectedPass:
                properties.Add(Property("unexpected-pass", scenario.ExpectedFailureReason ?? ""));
                break;
        }

        // Passing cases stay small: the transcript and stderr matter when something went wrong.
        if (scenario.Verdict != Verdict.Pass)
        {
            testCase.Add(new XElement("system-out", Clean(ReportText.FullText(scenario))));
        }

        return testCase;
    }

    private static XElement Property(string name, string value) =>
        new("property", new XAttribute("name", name), new XAttribute("value", Clean(value)));

    private static string Seconds(TimeSpan duration) => duration.TotalSeconds.ToString("0.000", CultureInfo.InvariantCulture);

    /// <summary>Drops characters XML 1.0 cannot carry (a server's stderr may hold control bytes).</summary>
    private static string Clean(string text)
    {
        if (text.All(XmlConvert.IsXmlChar))
        {
            return text;
        }

        var builder = new StringBuilder(text.Length);
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                builder.Append(c).Append(text[++i]);
            }
            else if (XmlConvert.IsXmlChar(c))
            {
                builder.Append(c);
            }
            else
            {
                builder.Append(CultureInfo.InvariantCulture, $"\\x{(int)c:x2}");
            }
        }

        return builder.ToString();
    }
}
