using System.Globalization;
using System.Text;
using System.Text.Json;
using ConfUpdate.Harness.Running;
using ConfUpdate.Harness.Scenarios;

namespace ConfUpdate.Harness.Tests.Detection;

/// <summary>Writes <c>detection.md</c> (score line and table) and <c>detection.json</c> (the numbers).</summary>
internal static class DetectionReport
{
    public const string MarkdownFile = "detection.md";
    public const string JsonFile = "detection.json";

    public static void Write(DetectionResults results, string directory)
    {
        Directory.CreateDirectory(directory);
        File.WriteAllText(Path.Combine(directory, MarkdownFile), Markdown(results));
        File.WriteAllText(Path.Combine(directory, JsonFile), Json(results));
    }

    private static string Markdown(DetectionResults results)
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"# Detection: the kit against faulty servers");
        text.AppendLine();
        text.AppendLine(results.ScoreLine);
        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture,
            $"{results.ScenarioCount} MUST scenarios against each correct server; against each faulty server " +
            $"{(results.AllScenariosForFaults ? "all of them" : "those citing a requirement it breaks")}, waiting {ScenarioStep.DefaultTimeoutMs * DetectionRun.FaultyServerTimeScale / 1000:0.#} s for a reply instead of {ScenarioStep.DefaultTimeoutMs / 1000.0:0.#} s; {results.Runs.Count} servers, {results.Concurrency} at a time; " +
            $"total {results.Duration.TotalSeconds:0} s; generated {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC.");
        text.AppendLine();
        text.AppendLine("| fault | breaks | caught | failed scenarios citing it | scenarios run | other not passed | run |");
        text.AppendLine("|---|---|---|---|---|---|---|");
        foreach (Fault fault in results.Faults.Where(f => results.Runs.ContainsKey(f.Name)))
        {
            ServerRun run = results.Runs[fault.Name];
            IReadOnlyList<ScenarioResult> citing = run.FailedCiting(fault.Requirements);
            int others = run.NotPassed.Count() - citing.Count;
            text.AppendLine(CultureInfo.InvariantCulture,
                $"| `{fault.Name}` | {string.Join(", ", fault.Requirements)} | {(results.IsCaught(fault) ? "yes" : "**NO**")} | " +
                $"{(citing.Count == 0 ? "-" : string.Join(", ", citing.Select(r => $"`{r.Scenario.Id}`")))} | {run.Results.Count} | {others} | {run.Duration.TotalSeconds:0.0} s |");
        }

        text.AppendLine();
        text.AppendLine("| correct server | scenarios | not passed | run |");
        text.AppendLine("|---|---|---|---|");
        foreach (string name in DetectionResults.CorrectServers.Where(results.Runs.ContainsKey))
        {
            ServerRun run = results.Runs[name];
            string failed = run.NotPassed.Any() ? string.Join(", ", run.NotPassed.Select(r => $"`{r.Scenario.Id}` ({r.Outcome})")) : "0";
            text.AppendLine(CultureInfo.InvariantCulture, $"| {name} | {run.Results.Count} | {failed} | {run.Duration.TotalSeconds:0.0} s |");
        }

        text.AppendLine();
        text.AppendLine("Faults: `tests/faulty-servers/faults.yaml`; regenerate with `./run-tests.sh` or");
        text.AppendLine("`dotnet test tests/ConfUpdate.Harness.Tests -c Release --filter Category=detection`.");
        return text.ToString();
    }

    private static string Json(DetectionResults results)
    {
        var document = new
        {
            score = results.ScoreLine,
            caught = results.Caught,
            faults = results.Faults.Count,
            falseAlarms = results.FalseAlarms,
            scenarios = results.ScenarioCount,
            allScenariosForFaults = results.AllScenariosForFaults,
            concurrency = results.Concurrency,
            durationSeconds = Math.Round(results.Duration.TotalSeconds, 1),
            generatedUtc = DateTime.UtcNow.ToString("o", CultureInfo.InvariantCulture),
            runs = results.Runs.Values.Select(run =>
            {
                Fault? fault = results.Faults.FirstOrDefault(f => f.Name == run.Name);
                return new
                {
                    server = run.Name,
                    correct = fault is null,
                    requirements = fault?.Requirements ?? [],
                    caught = fault is not null && results.IsCaught(fault),
                    caughtBy = fault is null ? [] : run.FailedCiting(fault.Requirements).Select(r => r.Scenario.Id).ToArray(),
                    notPassed = run.NotPassed.Select(r => new { id = r.Scenario.Id, outcome = r.Outcome.ToString(), requirements = r.Scenario.Requirements, failures = r.Failures }).ToArray(),
                    passed = run.Results.Count(r => r.Outcome == ScenarioOutcome.Pass),
                    slowest = run.Results.OrderByDescending(r => r.Duration).Take(8).Select(r => $"{r.Scenario.Id} {r.Duration.TotalSeconds:0.0} s").ToArray(),
                    durationSeconds = Math.Round(run.Duration.TotalSeconds, 1),
                };
            }).ToArray(),
        };
        return JsonSerializer.Serialize(document, s_json);
    }

    private static readonly JsonSerializerOptions s_json = new() { WriteIndented = true };
}
