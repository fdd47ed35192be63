using ConfUpdate.Server.Configuration;

namespace ConfUpdate.Server.Hosting;

/// <summary>
/// The command line, checked before anything else runs: <c>--help</c>, <c>--version</c>, <c>--config FILE</c> and
/// <c>--ConfUpdate:Key=value</c> overrides. Anything else is a usage error, so that a mistyped option cannot be
/// ignored by a root service (the configuration binder would otherwise take <c>--bogus x</c> as a key).
/// </summary>
/// <param name="Help">Print the usage text and exit.</param>
/// <param name="Version">Print the version and exit.</param>
/// <param name="ConfigFile">The <c>--config</c> file, or null.</param>
internal sealed record ServerArguments(bool Help, bool Version, string? ConfigFile)
{
    private const string ConfigOption = "--config";
    private const string OverridePrefix = "--" + ConfigDefaults.Section + ":";

    /// <summary>The options, as "did you mean" candidates.</summary>
    private static readonly string[] s_options = ["--help", "--version", ConfigOption, OverridePrefix + "<Key>=<value>"];

    /// <summary>Parses <paramref name="args"/>.</summary>
    /// <exception cref="UsageException">An unknown option, a positional argument, or an option without its value.</exception>
    public static ServerArguments Parse(IReadOnlyList<string> args)
    {
        ArgumentNullException.ThrowIfNull(args);
        bool help = false, version = false;
        string? config = null;
        for (int i = 0; i < args.Count; i++)
        {
            string arg = args[i];
            if (arg is "--help" or "-h" or "-?")
            {
                help = true;
            }
            else if (arg == "--version")
            {
                version = true;
            }
            else if (arg == ConfigOption)
            {
                config = i + 1 < args.Count ? args[++i] : throw new UsageException($"{ConfigOption} expects a file path");
            }
            else if (arg.StartsWith(ConfigOption + "=", StringComparison.Ordinal))
            {
                config = arg[(ConfigOption.Length + 1)..];
            }
            else if (arg.StartsWith(OverridePrefix, StringComparison.OrdinalIgnoreCase) && arg.Length > OverridePrefix.Length)
            {
                // --ConfUpdate:Key=value, or --ConfUpdate:Key value (as the command-line configuration source reads it).
                if (!arg.Contains('=', StringComparison.Ordinal) && ++i >= args.Count)
                {
                    throw new UsageException($"{arg} expects a value (--ConfUpdate:<Key>=<value>)");
                }
            }
            else if (arg.StartsWith('-'))
            {
                string name = arg.Split('=', 2)[0];
                throw new UsageException($"unknown option {name}; did you mean {Closest.To(name, s_options)}?");
            }
            else
            {
                throw new UsageException($"unexpected argument {arg} (options start with --)");
            }
        }

        return new ServerArguments(help, version, config);
    }
}
