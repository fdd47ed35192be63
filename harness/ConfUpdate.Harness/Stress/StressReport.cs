using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ConfUpdate.Harness.Stress;

/// <summary>
/// A finished stress run as files: <c>report.json</c> (stable keys for scripts) and a Markdown summary
/// with every figure, the conditions (seed, machine load) and the line that reruns it.
/// </summary>
/// <param name="Server">The server command as run.</param>
/// <param name="Profile">short, long or custom.</param>
/// <param name="Seed">The seed of every random choice.</param>
/// <param name="Results">One per check, in run order.</param>
/// <param name="Rerun">A command line that repeats the run.</param>
public sealed record StressReport(string Server, string Profile, int Seed, IReadOnlyList<StressResult> Results, string Rerun)
{
    private static readonly JsonSerializerOptions s_indented = new() { WriteIndented = true };

    /// <summary>When the run started.</summary>
    public required DateTimeOffset Started { get; init; }

    /// <summary>/proc/loadavg before and after the run: the machine's load, which every figure depends on.</summary>
    public string LoadBefore { get; init; } = "";

    /// <summary>/proc/loadavg after the run.</summary>
    public string LoadAfter { get; init; } = "";

    /// <summary>Whether every check passed.</summary>
    public bool Passed => Results.All(r => r.Passed);

    /// <summary>The first three fields of /proc/loadavg (1, 5 and 15 minute load), or "unknown".</summary>
    public static string ReadLoad()
    {
        try
        {
            return string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3));
        }
        catch (IOException)
        {
            return "unknown";
        }
    }

    /// <summary>Writes <c>report.json</c>.</summary>
    public void WriteJson(string path)
    {
        var checks = new JsonArray();
        foreach (StressResult r in Results)
        {
            var figures = new JsonObject();
            foreach ((string name, double value) in r.Figures)
            {
                figures[name] = double.IsFinite(value) ? value : null;
            }

            checks.Add(new JsonObject
            {
                ["check"] = r.Check.ToString().ToLowerInvariant(),
                ["outcome"] = r.Error is not null ? "error" : r.Passed ? "pass" : "fail",
                ["requirements"] = new JsonArray([.. r.Requirements.Select(q => JsonValue.Create(q))]),
                ["summary"] = r.Summary,
                ["figures"] = figures,
                ["failures"] = new JsonArray([.. r.Failures.Select(f => JsonValue.Create(f))]),
                ["error"] = r.Error,
                ["reproduction"] = r.ReproductionFile,
                ["duration_s"] = Math.Round(r.Duration.TotalSeconds, 2),
            });
        }

        var root = new JsonObject
        {
            ["kind"] = "confkit-stress",
            ["server"] = Server,
            ["profile"] = Profile,
            ["seed"] = Seed,
            ["started"] = Started.ToString("O", CultureInfo.InvariantCulture),
            ["load_before"] = LoadBefore,
            ["load_after"] = LoadAfter,
            ["cores"] = System.Environment.ProcessorCount,
            ["passed"] = Passed,
            ["checks"] = checks,
            ["rerun"] = Rerun,
        };
        File.WriteAllText(path, root.ToJsonString(s_indented));
    }

    /// <summary>The Markdown summary; <paramref name="title"/> heads it.</summary>
    public string ToMarkdown(string title)
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"# {title}");
        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture, $"- server: `{Server}`");
        text.AppendLine(CultureInfo.InvariantCulture, $"- profile: {Profile}, seed {Seed}, started {Started:yyyy-MM-dd HH:mm} UTC");
        text.AppendLine(CultureInfo.InvariantCulture, $"- machine: {System.Environment.ProcessorCount} cores; load average (1/5/15 min) {LoadBefore} before, {LoadAfter} after");
        text.AppendLine(CultureInfo.InvariantCulture, $"- verdict: {(Passed ? "every check passed" : "**failed**")}");
        text.AppendLine(CultureInfo.InvariantCulture, $"- rerun: `{Rerun}`");
        text.AppendLine();
        text.AppendLine("| check | outcome | requirements | summary | time |");
        text.AppendLine("|---|---|---|---|---|");
        foreach (StressResult r in Results)
        {
            text.AppendLine(CultureInfo.InvariantCulture,
                $"| {r.Check.ToString().ToLowerInvariant()} | {(r.Error is not null ? "error" : r.Passed ? "pass" : "**FAIL**")} | {string.Join(", ", r.Requirements)} | {r.Summary.Replace("|", "\\|", StringComparison.Ordinal)} | {r.Duration.TotalSeconds:0.0} s |");
        }

        foreach (StressResult r in Results)
        {
            text.AppendLine();
            text.AppendLine(CultureInfo.InvariantCulture, $"## {r.Check.ToString().ToLowerInvariant()}");
            text.AppendLine();
            foreach (string failure in r.Failures)
            {
                text.AppendLine(CultureInfo.InvariantCulture, $"- failure: {failure}");
            }

            if (r.ReproductionFile is { } file)
            {
                text.AppendLine(CultureInfo.InvariantCulture, $"- reproduction: `{file}`");
            }

            if (r.Figures.Count > 0)
            {
                if (r.Failures.Count > 0 || r.ReproductionFile is not null)
                {
                    text.AppendLine();
                }

                text.AppendLine("| figure | value |");
                text.AppendLine("|---|---|");
                foreach ((string name, double value) in r.Figures)
                {
                    text.AppendLine(CultureInfo.InvariantCulture, $"| {name} | {value.ToString("0.###", CultureInfo.InvariantCulture)} |");
                }
            }
        }

        return text.ToString();
    }
}
