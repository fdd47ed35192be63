using System.CommandLine;
using ConfUpdate.Harness.Scenarios;

namespace ConfUpdate.Harness.Cli;

/// <summary>Command-line shape fixes and one-line usage errors for <c>confkit</c>.</summary>
internal static class UsageText
{
    /// <summary>
    /// Moves a command word (<c>list</c>, <c>coverage</c>, <c>run</c>) given after options to the front, so that
    /// <c>confkit --scenarios D list</c> means <c>confkit list --scenarios D</c>: running is the default, and
    /// without this the options before the word would belong to the root command and be lost. A word that is the
    /// value of an option (<c>--tag list</c>) stays where it is.
    /// </summary>
    public static string[] CommandFirst(string[] args, RootCommand root)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(root);
        HashSet<string> commands = [.. root.Subcommands.Select(c => c.Name)];
        if (args.Length == 0 || commands.Contains(args[0]))
        {
            return args;
        }

        HashSet<string> takesValue = [.. root.Options.Where(o => o.Arity.MinimumNumberOfValues > 0).SelectMany(o => o.Aliases.Prepend(o.Name))];
        for (int i = 0; i < args.Length; i++)
        {
            if (args[i] == "--")
            {
                break;
            }

            if (takesValue.Contains(args[i]))
            {
                i++;
            }
            else if (commands.Contains(args[i]))
            {
                return [args[i], .. args[..i], .. args[(i + 1)..]];
            }
        }

        return args;
    }

    /// <summary>The first parse error in plain words: an unknown option gets the closest known one.</summary>
    public static string FirstError(ParseResult parse)
    {
        ArgumentNullException.ThrowIfNull(parse);
        if (parse.UnmatchedTokens.Count > 0)
        {
            string token = parse.UnmatchedTokens[0];
            Command command = parse.CommandResult.Command;
            if (token.StartsWith('-'))
            {
                string name = token.Split('=', 2)[0];
                List<string> known = [.. command.Options.Where(o => !o.Hidden).SelectMany(o => o.Aliases.Prepend(o.Name)).Where(n => n.StartsWith("--", StringComparison.Ordinal))];
                return known.Count == 0 ? $"unknown option {name}" : $"unknown option {name} for `{Path(parse)}`; did you mean {Closest.To(name, known)}?";
            }

            return command.Subcommands.Count > 0
                ? $"unexpected argument `{token}`; the commands are {string.Join(", ", command.Subcommands.Select(c => c.Name))} (run is the default)"
                : $"unexpected argument `{token}` for `{Path(parse)}`";
        }

        return parse.Errors[0].Message;
    }

    private static string Path(ParseResult parse) =>
        parse.CommandResult.Command is RootCommand ? "confkit" : "confkit " + parse.CommandResult.Command.Name;
}
