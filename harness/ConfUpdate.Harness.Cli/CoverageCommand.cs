using System.CommandLine;
using ConfUpdate.Harness.Reporting;
using Spectre.Console;

namespace ConfUpdate.Harness.Cli;

/// <summary><c>confkit coverage</c>: the requirement coverage matrix of the selected scenarios, without running them.</summary>
internal static class CoverageCommand
{
    public static Command Create(KitIo io, KitPaths paths)
    {
        var options = new KitOptions(withRunOptions: false);
        var command = new Command("coverage", HelpText.Coverage);
        options.AddTo(command);
        command.SetAction((parse, _) => KitApplication.GuardAsync(io, () =>
        {
            // Coverage is about the suite: SHOULD-level scenarios count unless a selection narrows it.
            KitSettings read = options.Read(parse);
            KitSettings settings = read with { Selection = read.Selection with { Strict = true } };
            KitSuite suite = KitSuite.Load(settings, paths);
            if (suite.Index is null)
            {
                throw new UsageException("no SPEC.md found for the requirement index; pass --spec FILE.");
            }

            CoverageMatrix matrix = CoverageMatrix.Build(suite.Index, suite.Selected);
            KitConsole console = io.Console(settings.NoColor);
            if (console.Live)
            {
                var table = new Table().Border(TableBorder.Simple);
                table.AddColumn("requirement").AddColumn("level").AddColumn("scenarios");
                foreach (RequirementCoverage row in matrix.Rows)
                {
                    string cited = row.Covered
                        ? Markup.Escape(string.Join(", ", row.Scenarios.Select(s => s.ScenarioId)))
                        : row.Level == "MUST" ? "[red]none (MUST not covered)[/]" : "[yellow]none[/]";
                    table.AddRow(row.Id, row.Level, cited);
                }

                console.Ansi.Write(table);
            }
            else
            {
                foreach (RequirementCoverage row in matrix.Rows)
                {
                    console.Raw($"{row.Id}\t{row.Level}\t{(row.Covered ? string.Join(",", row.Scenarios.Select(s => s.ScenarioId)) : "UNCOVERED")}");
                }
            }

            List<RequirementCoverage> uncovered = [.. matrix.Uncovered];
            console.Raw($"{matrix.Rows.Count - uncovered.Count} of {matrix.Rows.Count} requirements covered by {suite.Selected.Count} scenarios.");
            if (uncovered.Count > 0)
            {
                console.Raw("Uncovered: " + string.Join(", ", uncovered.Select(r => r.Level == "MUST" ? r.Id + " (MUST)" : r.Id)));
            }

            return Task.FromResult(ExitCodes.Conformant);
        }));
        return command;
    }
}
