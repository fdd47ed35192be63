using System.Diagnostics;
using System.Net.Sockets;
using CliWrap;
using ConfUpdate.Native;
using ConfUpdate.Protocol;

namespace ConfUpdate.Harness.Environment;

/// <summary>
/// A running server under test, started as the kit's own (privileged) identity through CliWrap, in its own
/// session and process group (<c>setsid</c>) so that it and its children can be stopped as a whole.
/// Output is captured; readiness follows SPEC PROF-2. <see cref="DisposeAsync"/> always kills what is left.
/// </summary>
public sealed class ServerProcess : IAsyncDisposable
{
    private static readonly TimeSpan s_pollInterval = TimeSpan.FromMilliseconds(15);

    private readonly OutputBuffer _output;
    private readonly CancellationTokenSource _forceKill;
    private readonly Task<CommandResult> _execution;
    private readonly Process? _process;
    private readonly Task _processExited;
    private readonly IDisposable _cleanupRegistration;
    private readonly NotifySocketListener? _notify;
    private readonly bool _ownProcessGroup;
    private int _disposed;

    private ServerProcess(
        ServerLaunch launch,
        int pid,
        Task<CommandResult> execution,
        Process? process,
        OutputBuffer output,
        CancellationTokenSource forceKill,
        NotifySocketListener? notify,
        bool ownProcessGroup,
        string commandLine)
    {
        Launch = launch;
        CommandLine = commandLine;
        _ownProcessGroup = ownProcessGroup;
        Pid = pid;
        _execution = execution;
        _process = process;
        // CliWrap's task completes only when the output pipes close too, which an orphaned child can delay
        // forever; the process's own exit is what "the server exited" means.
        _processExited = process is null ? execution : WaitForProcessExitAsync(process, execution);
        _output = output;
        _forceKill = forceKill;
        _notify = notify;
        _cleanupRegistration = KitCleanup.Register(pid);
    }

    /// <summary>How this server was launched.</summary>
    public ServerLaunch Launch { get; }

    /// <summary>The command line as started (the template with <c>{config}</c> and <c>{socket}</c> filled in), shell-quoted.</summary>
    public string CommandLine { get; }

    /// <summary>The server's process id.</summary>
    public int Pid { get; }

    /// <summary>How long the server took from spawn to ready.</summary>
    public TimeSpan StartupTime { get; private set; }

    /// <summary>Whether readiness came from <c>READY=1</c> rather than a successful connect.</summary>
    public bool ReadyByNotify { get; private set; }

    /// <summary>Whether the process has exited.</summary>
    public bool HasExited => _processExited.IsCompleted;

    /// <summary>The exit code once exited (128 + signal number when killed by a signal); otherwise <c>null</c>.</summary>
    public int? ExitCode => _execution.IsCompletedSuccessfully
        ? _execution.Result.ExitCode
        : HasExited && _process is not null ? SafeExitCode(_process) : null;

    /// <summary>Every output line so far, stdout and stderr interleaved as they arrived (bounded to the newest lines).</summary>
    public IReadOnlyList<string> OutputLines => _output.Snapshot();

    /// <summary>A task that completes when the process exits.</summary>
    public Task Exited => _processExited;

    /// <summary>
    /// Starts the server and waits until it is ready: a SOCK_SEQPACKET connect to the socket succeeds or
    /// <c>READY=1</c> arrives on <c>NOTIFY_SOCKET</c>.
    /// </summary>
    /// <exception cref="ServerStartException">Something already listens at the socket path, the command cannot start,
    /// the server exits before it is ready, or the timeout passes (the server is then killed).</exception>
    public static async Task<ServerProcess> StartAsync(ServerLaunch launch, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(launch);
        if (await CanConnectAsync(launch.SocketPath, cancellationToken).ConfigureAwait(false))
        {
            // Otherwise readiness would be reported for a server that is not ours.
            throw new ServerStartException(
                $"a server is already listening at {launch.SocketPath}; stop it or choose another socket path before starting the server under test.");
        }

        IReadOnlyList<string> words = launch.ExpandCommand();
        NotifySocketListener? notify = launch.UseNotifySocket ? NotifySocketListener.Create() : null;
        var output = new OutputBuffer(10_000);
        var forceKill = new CancellationTokenSource();
        Command command = BuildCommand(launch, words, output, notify);
        var stopwatch = Stopwatch.StartNew();
        CommandTask<CommandResult> task;
        Process? process = null;
        try
        {
            task = command.ExecuteAsync(static _ => { }, p => process = p, forceKill.Token, CancellationToken.None);
        }
        catch (Exception ex) when (ex is System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            forceKill.Dispose();
            if (notify is not null)
            {
                await notify.DisposeAsync().ConfigureAwait(false);
            }

            throw new ServerStartException($"cannot start the server command `{ShellWords.Join(words)}`: {ex.Message}", ex);
        }

        var server = new ServerProcess(
            launch, task.ProcessId, task.Task, process, output, forceKill, notify, ownProcessGroup: ToolLocator.Find("setsid") is not null, ShellWords.Join(words));
        try
        {
            await server.WaitReadyAsync(stopwatch, cancellationToken).ConfigureAwait(false);
            return server;
        }
        catch
        {
            await server.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>The stderr tail after a newline, or " (empty)" when the server wrote nothing: for start failures.</summary>
    private string StderrBlock() => StderrTail() is { Length: > 0 } tail ? "\n" + tail : " (empty)";

    /// <summary>The last <paramref name="lines"/> lines of standard error, joined by newlines.</summary>
    public string StderrTail(int lines = 20) => _output.StderrTail(lines);

    /// <summary>
    /// The last <paramref name="lines"/> lines of standard error written at or after <paramref name="since"/> (a
    /// <see cref="Stopwatch.GetTimestamp"/> value) that <paramref name="keep"/> accepts: one scenario's share of a shared server's output.
    /// </summary>
    public string StderrTail(int lines, long since, Func<string, bool> keep) => _output.StderrTail(lines, since, keep);

    /// <summary>Counts the server's open file descriptors (<c>/proc/PID/fd</c>), for leak checks (SPEC CONN-4).</summary>
    /// <exception cref="InvalidOperationException">The process has exited.</exception>
    public int CountOpenFileDescriptors()
    {
        try
        {
            return Directory.GetFileSystemEntries($"/proc/{Pid}/fd").Length;
        }
        catch (DirectoryNotFoundException ex)
        {
            throw new InvalidOperationException($"Cannot count file descriptors of server pid {Pid}: the process has exited.", ex);
        }
    }

    /// <summary>
    /// Stops the server: SIGTERM, wait up to <paramref name="grace"/>, then SIGKILL the whole process tree.
    /// Returns the exit code (0 for a clean SIGTERM shutdown, SPEC LIFE-1; 137 when it had to be killed).
    /// </summary>
    public async Task<int> StopAsync(TimeSpan grace, CancellationToken cancellationToken = default)
    {
        if (!HasExited)
        {
            _ = Libc.Kill(Pid, LinuxAbi.SigTerm);
            try
            {
                await _processExited.WaitAsync(grace, cancellationToken).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                ProcessTree.KillTree(Pid);
            }
        }

        KillLeftoverGroup();
        CommandResult result = await _execution.WaitAsync(TimeSpan.FromSeconds(10), cancellationToken).ConfigureAwait(false);
        return result.ExitCode;
    }

    /// <summary>Waits for the process to exit by itself and returns its exit code.</summary>
    public async Task<int> WaitForExitAsync(CancellationToken cancellationToken = default)
    {
        await _processExited.WaitAsync(cancellationToken).ConfigureAwait(false);
        KillLeftoverGroup();
        CommandResult result = await _execution.WaitAsync(TimeSpan.FromSeconds(10), cancellationToken).ConfigureAwait(false);
        return result.ExitCode;
    }

    /// <summary>Kills the process tree if it is still running and releases everything.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        if (!HasExited)
        {
            ProcessTree.KillTree(Pid);
        }

        KillLeftoverGroup();

        try
        {
            await _execution.WaitAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // Last resort: CliWrap's forceful cancellation kills the process and abandons the pipes.
            await _forceKill.CancelAsync().ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Forceful cancellation already happened.
        }

        if (_notify is not null)
        {
            await _notify.DisposeAsync().ConfigureAwait(false);
        }

        _forceKill.Dispose();
        _cleanupRegistration.Dispose();
    }

    /// <summary>
    /// SIGKILLs whatever is left of the server's process group (a child that outlived the server and holds
    /// the output pipes, which would keep CliWrap waiting). Safe against pid reuse in practice: the kernel
    /// keeps a pid reserved while it names a live process group, so <c>-Pid</c> reaches the server's own leftovers.
    /// </summary>
    private void KillLeftoverGroup()
    {
        if (_ownProcessGroup)
        {
            _ = Libc.Kill(-Pid, LinuxAbi.SigKill);
        }
    }

    private static async Task WaitForProcessExitAsync(Process process, Task execution)
    {
        try
        {
            await Task.WhenAny(process.WaitForExitAsync(), execution).ConfigureAwait(false);
        }
        catch (InvalidOperationException)
        {
            // The process object is no longer associated with a process: it has exited.
        }
    }

    private static int? SafeExitCode(Process process)
    {
        try
        {
            return process.ExitCode;
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }

    private static Command BuildCommand(ServerLaunch launch, IReadOnlyList<string> words, OutputBuffer output, NotifySocketListener? notify)
    {
        // setsid(1) execs in place (the child of Process.Start is not a group leader), so the pid stays the
        // server's and the server leads its own process group: a terminal's Ctrl-C does not reach it directly
        // and the whole group can be killed at once.
        string? setsid = ToolLocator.Find("setsid");
        Command command = setsid is not null
            ? Cli.Wrap(setsid).WithArguments(words)
            : Cli.Wrap(words[0]).WithArguments(words.Skip(1));
        var environment = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (KeyValuePair<string, string> pair in launch.Environment)
        {
            environment[pair.Key] = pair.Value;
        }

        if (notify is not null)
        {
            environment["NOTIFY_SOCKET"] = notify.Path;
        }

        command = command
            .WithEnvironmentVariables(environment)
            .WithValidation(CommandResultValidation.None)
            .WithStandardOutputPipe(PipeTarget.ToDelegate(output.AddStdout))
            .WithStandardErrorPipe(PipeTarget.ToDelegate(output.AddStderr));
        return launch.WorkingDirectory is null ? command : command.WithWorkingDirectory(launch.WorkingDirectory);
    }

    private static async Task<bool> CanConnectAsync(string path, CancellationToken cancellationToken)
    {
        try
        {
            using Socket socket = await SeqPacket.ConnectAsync(path, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private async Task WaitReadyAsync(Stopwatch stopwatch, CancellationToken cancellationToken)
    {
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (_notify is not null && _notify.Ready.IsCompleted)
            {
                ReadyByNotify = true;
                break;
            }

            if (await CanConnectAsync(Launch.SocketPath, cancellationToken).ConfigureAwait(false))
            {
                break;
            }

            if (HasExited)
            {
                // Let the output pipes drain (CliWrap completes after them) so the stderr tail is complete.
                KillLeftoverGroup();
                try
                {
                    await _execution.WaitAsync(TimeSpan.FromSeconds(2), cancellationToken).ConfigureAwait(false);
                }
                catch (TimeoutException)
                {
                    // Report what we have.
                }

                int? code = ExitCode;
                throw new ServerStartException(
                    $"`{CommandLine}` exited with code {code?.ToString() ?? "?"} before it was ready (socket {Launch.SocketPath} never accepted a connection); stderr:{StderrBlock()}",
                    code,
                    StderrTail());
            }

            if (stopwatch.Elapsed > Launch.ReadyTimeout)
            {
                throw new ServerStartException(
                    $"`{CommandLine}` did not become ready within {Launch.ReadyTimeout.TotalSeconds:0.#} s (no SOCK_SEQPACKET connect to {Launch.SocketPath} succeeded, no READY=1); stderr:{StderrBlock()}",
                    null,
                    StderrTail());
            }

            Task delay = Task.Delay(s_pollInterval, cancellationToken);
            Task[] waits = _notify is null ? [delay, _processExited] : [delay, _processExited, _notify.Ready];
            await Task.WhenAny(waits).ConfigureAwait(false);
        }

        StartupTime = stopwatch.Elapsed;
    }
}
