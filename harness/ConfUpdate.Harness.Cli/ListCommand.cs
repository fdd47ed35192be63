using System.CommandLine;
using ConfUpdate.Harness.Scenarios;
using Spectre.Console;

namespace ConfUpdate.Harness.Cli;

/// <summary><c>confkit list</c>: the selected scenarios without running them.</summary>
internal static class ListCommand
{
    public static Command Create(KitIo io, KitPaths paths)
    {
        var options = new KitOptions(withRunOptions: false);
        var command = new Command("list", HelpText.List);
        options.AddTo(command);
        command.SetAction((parse, _) => KitApplication.GuardAsync(io, () =>
        {
            KitSettings settings = options.Read(parse);
            KitSuite suite = KitSuite.Load(settings, paths);
            KitConsole console = io.Console(settings.NoColor);
            if (console.Live)
            {
                var table = new Table().Border(TableBorder.Simple);
                table.AddColumn("id").AddColumn("level").AddColumn("tags").AddColumn("requirements").AddColumn("title");
                foreach (Scenario s in suite.Selected)
                {
                    table.AddRow(Markup.Escape(s.Id), s.Level, Markup.Escape(string.Join(",", s.Tags)), string.Join(",", s.Requirements), Markup.Escape(s.Title));
                }

                console.Ansi.Write(table);
            }
            else
            {
                // One scenario per line, tab-separated: easy to grep and cut in scripts.
                foreach (Scenario s in suite.Selected)
                {
                    console.Raw($"{s.Id}\t{s.Level}\t{string.Join(",", s.Tags)}\t{string.Join(",", s.Requirements)}\t{s.Title}");
                }
            }

            io.Error.WriteLine($"confkit: {suite.Selected.Count} of {suite.All.Count} scenarios selected{(settings.Selection.Strict ? "" : " (MUST level; --strict adds SHOULD)")}");
            return Task.FromResult(ExitCodes.Conformant);
        }));
        return command;
    }
}
