using CliWrap;
using ConfUpdate.Native;

namespace ConfUpdate.Harness.Environment;

/// <summary>
/// Runs processes as other Unix accounts, for real: <c>setpriv</c> as root, <c>sudo -n</c> otherwise, or CliWrap's
/// <c>WithCredentials</c> as root when asked for.
/// Immutable; create one with <see cref="Detect"/> and share it.
/// </summary>
public sealed class UserSwitch
{
    private UserSwitch(SwitchStrategy strategy, string? toolPath, uint currentUid)
    {
        Strategy = strategy;
        ToolPath = toolPath;
        CurrentUid = currentUid;
    }

    /// <summary>The strategy in use: never <see cref="SwitchStrategy.Auto"/>.</summary>
    public SwitchStrategy Strategy { get; }

    /// <summary>The full path of <c>setpriv</c> or <c>sudo</c>; <c>null</c> for <see cref="SwitchStrategy.Credentials"/> and <see cref="SwitchStrategy.None"/>.</summary>
    public string? ToolPath { get; }

    /// <summary>The effective uid of the kit; a process for this uid runs directly, without switching.</summary>
    public uint CurrentUid { get; }

    /// <summary>
    /// Chooses and checks a strategy. <see cref="SwitchStrategy.Auto"/>: root uses setpriv (falling back to
    /// sudo), anyone else uses <c>sudo -n</c>. The tool must exist; whether it really works for each account
    /// is checked by <see cref="EnvironmentCheck"/>.
    /// </summary>
    /// <exception cref="KitEnvironmentException">The requested tool is missing or cannot work for this user.</exception>
    public static UserSwitch Detect(SwitchStrategy requested)
    {
        uint euid = Libc.GetEUid();
        bool root = euid == 0;
        string? setpriv = ToolLocator.Find("setpriv");
        string? sudo = ToolLocator.Find("sudo");
        switch (requested)
        {
            case SwitchStrategy.None:
                return new UserSwitch(SwitchStrategy.None, null, euid);
            case SwitchStrategy.Setpriv:
                if (!root)
                {
                    throw new KitEnvironmentException(
                        $"switch strategy setpriv needs root, but the kit runs as uid {euid}; run the kit as root or use --switch sudo.");
                }

                return new UserSwitch(SwitchStrategy.Setpriv, setpriv ?? throw MissingTool("setpriv", "apt-get install util-linux"), euid);
            case SwitchStrategy.Sudo:
                return new UserSwitch(SwitchStrategy.Sudo, sudo ?? throw MissingTool("sudo", "apt-get install sudo"), euid);
            case SwitchStrategy.Credentials:
                // The runtime's setuid/setgid/setgroups in the child fail with EPERM for anyone but root.
                return root
                    ? new UserSwitch(SwitchStrategy.Credentials, null, euid)
                    : throw new KitEnvironmentException(
                        $"switch strategy credentials needs root, but the kit runs as uid {euid}; run the kit as root or use --switch sudo.");
            case SwitchStrategy.Auto:
                if (root && setpriv is not null)
                {
                    return new UserSwitch(SwitchStrategy.Setpriv, setpriv, euid);
                }

                if (sudo is not null)
                {
                    return new UserSwitch(SwitchStrategy.Sudo, sudo, euid);
                }

                throw new KitEnvironmentException(root
                    ? "cannot switch users: neither setpriv nor sudo is installed; install util-linux or sudo (apt-get install sudo)."
                    : $"cannot switch users: the kit runs as uid {euid} (not root) and sudo is not installed; run the kit as root, "
                      + "or install sudo (apt-get install sudo) and allow this user passwordless `sudo -n -u <account>`.");
            default:
                throw new ArgumentOutOfRangeException(nameof(requested), requested, "Unknown switch strategy.");
        }
    }

    /// <summary>
    /// A CliWrap command that runs <paramref name="program"/> as <paramref name="account"/> (directly when the
    /// account is the kit's own), in the working directory "/" when it switches. Result validation is off:
    /// callers compare exit codes themselves.
    /// </summary>
    /// <exception cref="KitEnvironmentException">Strategy <see cref="SwitchStrategy.None"/> and another account was asked for.</exception>
    public Command Wrap(UnixAccount account, string program, IEnumerable<string> arguments)
    {
        ArgumentNullException.ThrowIfNull(account);
        ArgumentException.ThrowIfNullOrEmpty(program);
        ArgumentNullException.ThrowIfNull(arguments);
        List<string> words = Words(account, program, arguments);
        Command command = Cli.Wrap(words[0]).WithArguments(words.Skip(1)).WithValidation(CommandResultValidation.None);
        if (Strategy == SwitchStrategy.Credentials && Switches(account))
        {
            // The runtime looks the name up (getpwnam_r) and applies its uid, primary gid and getgrouplist groups.
            command = command.WithCredentials(c => c.SetUserName(account.Name));
        }

        if (Switches(account))
        {
            // The caller's directory may be one the account cannot enter (a checkout under a 0700 home): the
            // runtime's chdir in the child would then fail the start, and sudo or setpriv would leave the child in
            // a directory it cannot read. "/" is always reachable; callers that need another one set it after.
            command = command.WithWorkingDirectory("/");
        }

        if (Strategy is SwitchStrategy.Setpriv or SwitchStrategy.Credentials && Switches(account))
        {
            // setpriv and the runtime keep the caller's environment; give the child its own identity's basics (sudo does this itself).
            command = command.WithEnvironmentVariables(env => env
                .Set("HOME", account.HomeDirectory)
                .Set("USER", account.Name)
                .Set("LOGNAME", account.Name));
        }

        return command;
    }

    /// <summary>The equivalent shell command line, for "rerun this" hints in reports.</summary>
    public string Describe(UnixAccount account, string program, IEnumerable<string> arguments)
    {
        ArgumentNullException.ThrowIfNull(account);
        ArgumentNullException.ThrowIfNull(arguments);
        List<string> words = Words(account, program, arguments);
        if (Strategy == SwitchStrategy.Credentials && Switches(account))
        {
            // No shell form of WithCredentials: setpriv does the same (uid, gid, the account's groups).
            words.InsertRange(0, SetprivPrefix("setpriv", account));
        }

        // Show the short tool name: the hint is for a person at a shell with a normal PATH.
        return ShellWords.Join(words.Select((w, i) => i == 0 && w == ToolPath ? Path.GetFileName(w) : w));
    }

    /// <summary>Whether a process for <paramref name="account"/> would actually change identity.</summary>
    public bool Switches(UnixAccount account)
    {
        ArgumentNullException.ThrowIfNull(account);
        return account.Uid != CurrentUid;
    }

    /// <inheritdoc />
    public override string ToString() => Strategy switch
    {
        SwitchStrategy.None => "none",
        SwitchStrategy.Credentials => "credentials (CliWrap WithCredentials)",
        _ => $"{Strategy.ToString().ToLowerInvariant()} ({ToolPath})",
    };

    private List<string> Words(UnixAccount account, string program, IEnumerable<string> arguments)
    {
        var words = new List<string>();
        if (account.Uid != CurrentUid)
        {
            switch (Strategy)
            {
                case SwitchStrategy.Setpriv:
                    words.AddRange(SetprivPrefix(ToolPath!, account));
                    break;
                case SwitchStrategy.Sudo:
                    words.AddRange([ToolPath!, "-n", "-u", account.Name, "--"]);
                    break;
                case SwitchStrategy.Credentials:
                    // No wrapper program: Wrap sets the credentials on the command itself.
                    break;
                default:
                    throw new KitEnvironmentException(
                        $"cannot run {program} as {account.Name} (uid {account.Uid}): user switching is off (strategy none) and the kit runs as uid {CurrentUid}; "
                        + "choose --switch auto, sudo or setpriv.");
            }
        }

        words.Add(program);
        words.AddRange(arguments);
        return words;
    }

    private static string[] SetprivPrefix(string setpriv, UnixAccount account) =>
        [setpriv, $"--reuid={account.Uid}", $"--regid={account.Gid}", "--init-groups", "--"];

    private static KitEnvironmentException MissingTool(string tool, string install) =>
        new($"cannot switch users: {tool} is not installed; install it ({install}) or choose another --switch strategy.");
}
