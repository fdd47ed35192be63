using System.Text.Json;
using System.Text.Json.Serialization;

namespace ConfUpdate.Harness.Reporting;

/// <summary>Writes and reads <c>report.json</c> (System.Text.Json, camelCase, enums as strings).</summary>
public static class JsonReportWriter
{
    /// <summary>The serializer options used both ways.</summary>
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    /// <summary>Flattens a report (and its coverage matrix, when given) into the JSON document model.</summary>
    public static JsonReport ToDocument(RunReport report, CoverageMatrix? coverage = null)
    {
        ArgumentNullException.ThrowIfNull(report);
        RunMetadata m = report.Metadata;
        return new JsonReport
        {
            KitVersion = m.KitVersion,
            ServerCommand = m.ServerCommand,
            ImplementationName = m.ImplementationName,
            StartedAt = m.StartedAt,
            DurationMs = Math.Round(m.Duration.TotalMilliseconds, 3),
            Strict = m.Strict,
            Selection = m.Selection,
            ExpectedFailuresFile = m.ExpectedFailuresFile,
            Interrupted = m.Interrupted,
            Selected = m.Selected,
            Conformant = report.Conformant,
            Counts = report.Counts,
            Scenarios = [.. report.Scenarios.Select(JsonScenarioReport.From)],
            Coverage = coverage?.Rows ?? [],
            UncoveredMust = [.. coverage?.UncoveredMust.Select(r => r.Id) ?? []],
        };
    }

    /// <summary>The report as JSON text.</summary>
    public static string Write(RunReport report, CoverageMatrix? coverage = null) =>
        JsonSerializer.Serialize(ToDocument(report, coverage), Options);

    /// <summary>Reads a <c>report.json</c> back.</summary>
    /// <exception cref="JsonException">The text is not a report.</exception>
    public static JsonReport Read(string json) =>
        JsonSerializer.Deserialize<JsonReport>(json, Options) ?? throw new JsonException("report.json holds null; expected a report object.");
}
