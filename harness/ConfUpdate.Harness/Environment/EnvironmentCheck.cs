using System.Globalization;
using System.Text;
using CliWrap;
using CliWrap.Buffered;

namespace ConfUpdate.Harness.Environment;

/// <summary>
/// The kit's preflight: before anything runs, prove that every role's account exists, that switching to it
/// really yields that uid and its groups, and that it can execute (or read) what it must run. Every
/// problem is collected, so one run tells the operator everything that is missing.
/// </summary>
public static class EnvironmentCheck
{
    private static readonly TimeSpan s_commandTimeout = TimeSpan.FromSeconds(15);

    /// <summary>
    /// Verifies the environment and returns the resolved account of each role.
    /// </summary>
    /// <param name="userSwitch">How to switch users.</param>
    /// <param name="roleAccounts">Role name (for messages) to account name, e.g. <c>allowed → www-data</c>.</param>
    /// <param name="executables">Files each account must be able to execute (<c>test -x</c>).</param>
    /// <param name="readableFiles">Files each account must be able to read (<c>test -r</c>), e.g. staged <c>.dll</c>s.</param>
    /// <param name="cancellationToken">Cancels the checks.</param>
    /// <exception cref="KitEnvironmentException">Anything is missing; the message lists every problem and what to do.</exception>
    public static async Task<IReadOnlyDictionary<string, UnixAccount>> VerifyAsync(
        UserSwitch userSwitch,
        IReadOnlyDictionary<string, string> roleAccounts,
        IReadOnlyCollection<string> executables,
        IReadOnlyCollection<string>? readableFiles = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(userSwitch);
        ArgumentNullException.ThrowIfNull(roleAccounts);
        ArgumentNullException.ThrowIfNull(executables);
        readableFiles ??= [];

        var problems = new List<string>();
        var accounts = new Dictionary<string, UnixAccount>(StringComparer.Ordinal);
        foreach ((string role, string name) in roleAccounts)
        {
            try
            {
                accounts[role] = UnixAccount.Lookup(name);
            }
            catch (KitEnvironmentException ex)
            {
                problems.Add($"role {role}: {ex.Message}");
            }
        }

        // Check each distinct account once, in parallel: a switch costs a few milliseconds of process start.
        IEnumerable<Task<List<string>>> checks = accounts
            .GroupBy(pair => pair.Value.Uid)
            .Select(group => CheckAccountAsync(
                userSwitch, group.First().Value, string.Join('/', group.Select(g => g.Key)), executables, readableFiles, cancellationToken));
        foreach (List<string> found in await Task.WhenAll(checks).ConfigureAwait(false))
        {
            problems.AddRange(found);
        }

        if (problems.Count > 0)
        {
            var message = new StringBuilder("the environment cannot run the kit:");
            foreach (string problem in problems)
            {
                message.Append("\n  - ").Append(problem);
            }

            throw new KitEnvironmentException(message.ToString());
        }

        return accounts;
    }

    private static async Task<List<string>> CheckAccountAsync(
        UserSwitch userSwitch,
        UnixAccount account,
        string roles,
        IReadOnlyCollection<string> executables,
        IReadOnlyCollection<string> readableFiles,
        CancellationToken cancellationToken)
    {
        var problems = new List<string>();
        string who = $"{account.Name} (role {roles})";
        string hint = userSwitch.Strategy switch
        {
            SwitchStrategy.Sudo => $"allow passwordless sudo for it (e.g. a sudoers line `{UnixAccount.Current().Name} ALL=(ALL) NOPASSWD: ALL`) or run the kit as root",
            SwitchStrategy.Setpriv or SwitchStrategy.Credentials => "run the kit as root",
            _ => "choose a switch strategy that can change users (run as root, or install sudo)",
        };

        BufferedCommandResult uid;
        try
        {
            uid = await RunAsync(userSwitch, account, "id", ["-u"], cancellationToken).ConfigureAwait(false);
        }
        catch (KitEnvironmentException ex)
        {
            problems.Add($"{who}: {ex.Message}");
            return problems;
        }

        if (uid.ExitCode != 0 || uid.StandardOutput.Trim() != account.Uid.ToString(CultureInfo.InvariantCulture))
        {
            problems.Add(
                $"{who}: switching with {userSwitch} did not yield uid {account.Uid}: `{userSwitch.Describe(account, "id", ["-u"])}` "
                + $"exited {uid.ExitCode} printing \"{uid.StandardOutput.Trim()}\" {uid.StandardError.Trim()}; {hint}.");
            return problems;
        }

        BufferedCommandResult groups = await RunAsync(userSwitch, account, "id", ["-G"], cancellationToken).ConfigureAwait(false);
        HashSet<uint> actual = [.. groups.StandardOutput.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(g => uint.TryParse(g, NumberStyles.None, CultureInfo.InvariantCulture, out uint gid) ? gid : uint.MaxValue)];
        uint[] missing = [.. account.SupplementaryGids.Where(g => !actual.Contains(g))];
        if (missing.Length > 0)
        {
            problems.Add(
                $"{who}: after switching, the process lacks group(s) {string.Join(',', missing)} (has {groups.StandardOutput.Trim()}); "
                + "the switch must initialise supplementary groups (setpriv --init-groups, or sudo).");
        }

        foreach (string path in executables)
        {
            await CheckAccessAsync(userSwitch, account, who, "-x", "execute", path, problems, cancellationToken).ConfigureAwait(false);
        }

        foreach (string path in readableFiles)
        {
            await CheckAccessAsync(userSwitch, account, who, "-r", "read", path, problems, cancellationToken).ConfigureAwait(false);
        }

        return problems;
    }

    private static async Task CheckAccessAsync(
        UserSwitch userSwitch, UnixAccount account, string who, string flag, string verb, string path, List<string> problems, CancellationToken cancellationToken)
    {
        BufferedCommandResult result = await RunAsync(userSwitch, account, "test", [flag, path], cancellationToken).ConfigureAwait(false);
        if (result.ExitCode != 0)
        {
            problems.Add(
                $"{who} cannot {verb} {path}; stage the binaries in a world-readable directory (directories 0755, files 0644, executables 0755), "
                + "not under a 0700 home directory.");
        }
    }

    private static async Task<BufferedCommandResult> RunAsync(
        UserSwitch userSwitch, UnixAccount account, string program, string[] arguments, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(s_commandTimeout);
        try
        {
            return await userSwitch.Wrap(account, program, arguments)
                .WithStandardInputPipe(PipeSource.Null)
                .ExecuteBufferedAsync(timeout.Token)
                .ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new KitEnvironmentException(
                $"`{userSwitch.Describe(account, program, arguments)}` did not finish within {s_commandTimeout.TotalSeconds} s (is sudo asking for a password? use sudo -n with NOPASSWD).");
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            throw new KitEnvironmentException($"cannot run `{userSwitch.Describe(account, program, arguments)}`: {ex.Message}", ex);
        }
    }
}
