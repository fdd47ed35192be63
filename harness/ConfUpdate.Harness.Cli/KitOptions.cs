using System.CommandLine;
using System.CommandLine.Parsing;
using ConfUpdate.Harness.Environment;
using ConfUpdate.Harness.Selection;

namespace ConfUpdate.Harness.Cli;

/// <summary>
/// The options of one command. Each command gets its own instances; <c>list</c> and <c>coverage</c> take the
/// selection options, <c>run</c> (and the root command, which runs by default) take them all.
/// </summary>
internal sealed class KitOptions
{
    private readonly bool _withRunOptions;

    public KitOptions(bool withRunOptions)
    {
        _withRunOptions = withRunOptions;
        Scenarios = new Option<string?>("--scenarios") { Description = "Directory of scenario files (default: <checkout>/scenarios)", HelpName = "DIR" };
        Spec = new Option<string?>("--spec") { Description = "SPEC.md whose requirement index the coverage matrix uses (default: <checkout>/docs/SPEC.md)", HelpName = "FILE" };
        Id = Repeatable("--id", "Run scenarios whose id matches (glob: 'size.*'); an exact id also selects a SHOULD scenario", "ID");
        Tag = Repeatable("--tag", "Run scenarios with this tag (family): sizes, auth, ...", "TAG");
        Requirement = Repeatable("--requirement", "Run scenarios citing this SPEC requirement (glob: 'FRAME-*')", "REQ");
        ExcludeId = Repeatable("--exclude-id", "Skip scenarios whose id matches (glob)", "ID");
        ExcludeTag = Repeatable("--exclude-tag", "Skip scenarios with this tag", "TAG");
        Strict = new Option<bool>("--strict") { Description = "Also run SHOULD-level scenarios (default: MUST only)" };
        Server = new Option<string?>("--server")
        {
            Description = "The server under test: a command line with {config} (path of the CONF-1 file the kit writes) and {socket}; "
                + "run as root (default: the reference server from the build output)",
            HelpName = "\"CMD {config}\"",
        };
        Server.Validators.Add(r =>
        {
            string? value = r.GetValueOrDefault<string?>();
            if (value is not null && !value.Contains("{config}", StringComparison.Ordinal))
            {
                r.AddError($"--server must contain {{config}} (where the kit substitutes its configuration file's path); got '{value}'.");
                return;
            }

            // Split once here, so that a quoting mistake is a usage error before anything starts.
            try
            {
                if (value is not null && ShellWords.Split(value).Count == 0)
                {
                    r.AddError("--server is empty; give the server's command line with {config}.");
                }
            }
            catch (FormatException ex)
            {
                r.AddError($"--server is not a valid command line: {ex.Message} (quote it as a shell would: --server \"/usr/bin/my-server --config {{config}}\").");
            }
        });
        Parallel = new Option<int?>("--parallel") { Description = "How many scenarios run at once (default: 4 x cores)", HelpName = "N" };
        Parallel.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int?>() is < 1 or > 1024)
            {
                r.AddError($"--parallel must be between 1 and 1024; got {r.GetValueOrDefault<int?>()}.");
            }
        });
        Switch = new Option<string>("--switch")
        {
            Description = "How to run processes as other users: auto (setpriv as root, else sudo -n), sudo, setpriv, credentials (CliWrap WithCredentials; root)",
            HelpName = "auto|sudo|setpriv|credentials",
            DefaultValueFactory = _ => "auto",
        };
        Switch.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<string>() is not ("auto" or "sudo" or "setpriv" or "credentials"))
            {
                r.AddError($"--switch takes auto, sudo, setpriv or credentials; got '{r.GetValueOrDefault<string>()}'.");
            }
        });
        Role = Repeatable("--role", "Map a role to an account, e.g. allowed=www-data, denied=nobody, group-member=confkit-member, stranger=confkit-stranger", "ROLE=USER");
        Role.Validators.Add(r =>
        {
            foreach (string value in r.GetValueOrDefault<string[]>() ?? [])
            {
                if (!TryParseRole(value, out _, out _))
                {
                    r.AddError($"--role takes ROLE=ACCOUNT (e.g. allowed=www-data); got '{value}'.");
                }
            }
        });
        ExpectedFailures = new Option<string?>("--expected-failures")
        {
            Description = "File of scenario ids this implementation is known to fail (one per line, '# reason'; or YAML): they do not make the run fail",
            HelpName = "FILE",
        };
        FailOnUnexpectedPass = new Option<bool>("--fail-on-unexpected-pass") { Description = "Exit 1 when a listed expected failure passes (default: only report it)" };
        ReportDirectory = new Option<string?>("--report-dir") { Description = "Where report.json, junit.xml and summary.md go (default: <checkout>/artifacts/kit-report)", HelpName = "DIR" };
        NoColor = new Option<bool>("--no-color") { Description = "Plain output without colour or live progress (also when NO_COLOR is set or output is redirected)" };
        Timeout = new Option<double?>("--timeout") { Description = "Seconds the server under test may take to become ready (default: 15)", HelpName = "SECONDS" };
        Timeout.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<double?>() is { } s && (!double.IsFinite(s) || s <= 0 || s > 3600))
            {
                r.AddError($"--timeout must be a positive number of seconds up to 3600; got {s}.");
            }
        });
        TimeScale = new Option<double?>("--time-scale")
        {
            Description = "Multiply every wait for a reply or for the client by this factor, for slow or emulated runners (default: 1; sleeps a scenario tests are never scaled)",
            HelpName = "FACTOR",
        };
        TimeScale.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<double?>() is { } f && (!double.IsFinite(f) || f < 1 || f > 100))
            {
                r.AddError($"--time-scale must be a number from 1 to 100; got {f}.");
            }
        });
    }

    public Option<string?> Scenarios { get; }

    public Option<string?> Spec { get; }

    public Option<string[]> Id { get; }

    public Option<string[]> Tag { get; }

    public Option<string[]> Requirement { get; }

    public Option<string[]> ExcludeId { get; }

    public Option<string[]> ExcludeTag { get; }

    public Option<bool> Strict { get; }

    public Option<string?> Server { get; }

    public Option<int?> Parallel { get; }

    public Option<string> Switch { get; }

    public Option<string[]> Role { get; }

    public Option<string?> ExpectedFailures { get; }

    public Option<bool> FailOnUnexpectedPass { get; }

    public Option<string?> ReportDirectory { get; }

    public Option<bool> NoColor { get; }

    public Option<double?> Timeout { get; }

    public Option<double?> TimeScale { get; }

    public void AddTo(Command command)
    {
        foreach (Option option in new Option[] { Id, Tag, Requirement, ExcludeId, ExcludeTag, Strict, Scenarios, Spec })
        {
            command.Add(option);
        }

        if (_withRunOptions)
        {
            foreach (Option option in new Option[] { Server, Parallel, Switch, Role, ExpectedFailures, FailOnUnexpectedPass, ReportDirectory, Timeout, TimeScale })
            {
                command.Add(option);
            }
        }

        command.Add(NoColor);
    }

    public KitSettings Read(ParseResult parse) => new()
    {
        Selection = new ScenarioSelection
        {
            Ids = parse.GetValue(Id) ?? [],
            Tags = parse.GetValue(Tag) ?? [],
            Requirements = parse.GetValue(Requirement) ?? [],
            ExcludeIds = parse.GetValue(ExcludeId) ?? [],
            ExcludeTags = parse.GetValue(ExcludeTag) ?? [],
            Strict = parse.GetValue(Strict),
        },
        ScenariosDirectory = parse.GetValue(Scenarios),
        SpecPath = parse.GetValue(Spec),
        Server = _withRunOptions ? parse.GetValue(Server) : null,
        Parallel = _withRunOptions ? parse.GetValue(Parallel) : null,
        Switch = _withRunOptions ? ParseSwitch(parse.GetValue(Switch)) : SwitchStrategy.Auto,
        Roles = _withRunOptions ? Roles(parse.GetValue(Role) ?? []) : new Dictionary<string, string>(),
        ExpectedFailures = _withRunOptions ? parse.GetValue(ExpectedFailures) : null,
        FailOnUnexpectedPass = _withRunOptions && parse.GetValue(FailOnUnexpectedPass),
        ReportDirectory = _withRunOptions ? parse.GetValue(ReportDirectory) : null,
        NoColor = parse.GetValue(NoColor),
        TimeoutSeconds = _withRunOptions ? parse.GetValue(Timeout) : null,
        TimeScale = _withRunOptions ? parse.GetValue(TimeScale) : null,
    };

    private static SwitchStrategy ParseSwitch(string? value) => value switch
    {
        "sudo" => SwitchStrategy.Sudo,
        "setpriv" => SwitchStrategy.Setpriv,
        "credentials" => SwitchStrategy.Credentials,
        _ => SwitchStrategy.Auto,
    };

    private static Dictionary<string, string> Roles(string[] values)
    {
        var roles = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (string value in values)
        {
            if (TryParseRole(value, out string role, out string account))
            {
                roles[role] = account;
            }
        }

        return roles;
    }

    private static bool TryParseRole(string value, out string role, out string account)
    {
        int eq = value.IndexOf('=', StringComparison.Ordinal);
        role = eq > 0 ? value[..eq].Trim() : "";
        account = eq > 0 ? value[(eq + 1)..].Trim() : "";
        return role.Length > 0 && account.Length > 0 && !account.Any(char.IsWhiteSpace);
    }

    private static Option<string[]> Repeatable(string name, string description, string helpName) => new(name)
    {
        Description = description + " (repeatable)",
        HelpName = helpName,
        Arity = ArgumentArity.OneOrMore,
        AllowMultipleArgumentsPerToken = false,
    };
}
