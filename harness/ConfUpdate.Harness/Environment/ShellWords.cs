using System.Text;
using System.Text.RegularExpressions;

namespace ConfUpdate.Harness.Environment;

/// <summary>
/// Splits a command-line template the way a POSIX shell splits simple words (single quotes, double
/// quotes with backslash escapes, backslashes outside quotes; no expansion) and quotes arguments back
/// for rerun hints. Server command templates (SPEC PROF-1) are written by people, so they get shell rules.
/// </summary>
public static partial class ShellWords
{
    /// <summary>Splits <paramref name="commandLine"/> into words.</summary>
    /// <exception cref="FormatException">A quote is not closed or the line ends in a lone backslash.</exception>
    public static IReadOnlyList<string> Split(string commandLine)
    {
        ArgumentNullException.ThrowIfNull(commandLine);
        var words = new List<string>();
        var current = new StringBuilder();
        bool inWord = false;
        for (int i = 0; i < commandLine.Length; i++)
        {
            char c = commandLine[i];
            switch (c)
            {
                case ' ' or '\t' or '\n':
                    if (inWord)
                    {
                        words.Add(current.ToString());
                        current.Clear();
                        inWord = false;
                    }

                    break;
                case '\'':
                    int close = commandLine.IndexOf('\'', i + 1);
                    if (close < 0)
                    {
                        throw new FormatException($"Unclosed single quote at position {i} in command line: {commandLine}");
                    }

                    current.Append(commandLine, i + 1, close - i - 1);
                    i = close;
                    inWord = true;
                    break;
                case '"':
                    i = ReadDoubleQuoted(commandLine, i, current);
                    inWord = true;
                    break;
                case '\\':
                    if (i + 1 >= commandLine.Length)
                    {
                        throw new FormatException($"Command line ends with a lone backslash: {commandLine}");
                    }

                    current.Append(commandLine[++i]);
                    inWord = true;
                    break;
                default:
                    current.Append(c);
                    inWord = true;
                    break;
            }
        }

        if (inWord)
        {
            words.Add(current.ToString());
        }

        return words;
    }

    /// <summary>Quotes one argument so that a POSIX shell reads it back unchanged.</summary>
    public static string Quote(string argument)
    {
        ArgumentNullException.ThrowIfNull(argument);
        if (argument.Length > 0 && SafeWord().IsMatch(argument))
        {
            return argument;
        }

        return "'" + argument.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
    }

    /// <summary>Joins a program and its arguments into one shell command line.</summary>
    public static string Join(IEnumerable<string> words) => string.Join(' ', words.Select(Quote));

    private static int ReadDoubleQuoted(string line, int open, StringBuilder current)
    {
        for (int i = open + 1; i < line.Length; i++)
        {
            char c = line[i];
            if (c == '"')
            {
                return i;
            }

            // Inside double quotes a backslash escapes only these characters (POSIX 2.2.3).
            if (c == '\\' && i + 1 < line.Length && line[i + 1] is '"' or '\\' or '$' or '`')
            {
                current.Append(line[++i]);
            }
            else
            {
                current.Append(c);
            }
        }

        throw new FormatException($"Unclosed double quote at position {open} in command line: {line}");
    }

    [GeneratedRegex("^[A-Za-z0-9_./=:,+@%-]+$")]
    private static partial Regex SafeWord();
}
