using Spectre.Console;

namespace ConfUpdate.Harness.Cli;

/// <summary>
/// The kit's output: a Spectre console with colour and live progress on a terminal, plain lines when
/// output is redirected (CI logs), NO_COLOR is set or --no-color is given. Raw text (failure details,
/// the summary line) bypasses markup and wrapping so it can be copied and parsed.
/// </summary>
internal sealed class KitConsole
{
    // Redirected output has no width; keep lines whole instead of Spectre's 80-column default.
    private const int PlainWidth = 240;

    private KitConsole(IAnsiConsole console, TextWriter writer, bool live)
    {
        Ansi = console;
        Writer = writer;
        Live = live;
    }

    public IAnsiConsole Ansi { get; }

    public TextWriter Writer { get; }

    /// <summary>Whether progress is drawn live (a terminal with colour).</summary>
    public bool Live { get; }

    public static KitConsole Create(TextWriter output, bool noColor, bool outputIsTerminal, Func<string, string?> environment)
    {
        bool color = !noColor && outputIsTerminal
            && string.IsNullOrEmpty(environment("NO_COLOR"))
            && environment("TERM") is not "dumb";
        IAnsiConsole console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = color ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = color ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            Interactive = color ? InteractionSupport.Yes : InteractionSupport.No,
            Out = new AnsiConsoleOutput(output),
        });
        if (!color)
        {
            console.Profile.Width = PlainWidth;
        }

        return new KitConsole(console, output, color);
    }

    public void MarkupLine(string markup) => Ansi.MarkupLine(markup);

    /// <summary>Writes text as is: no markup, no wrapping.</summary>
    public void Raw(string text) => Writer.WriteLine(text);
}
