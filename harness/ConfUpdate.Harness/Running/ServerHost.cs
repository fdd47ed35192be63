using System.Net.Sockets;
using CliWrap.Buffered;
using CliWrap;
using ConfUpdate.Harness.Environment;
using ConfUpdate.Native;

namespace ConfUpdate.Harness.Running;

/// <summary>
/// A server under test as the runner sees it: its launch, the current process (replaced on restart),
/// and what a failed start or a stop left (exit code, stderr).
/// </summary>
internal sealed class ServerHost : IAsyncDisposable
{
    private readonly ServerLaunch _launch;
    private readonly SemaphoreSlim _gate = new(1, 1);

    public ServerHost(ServerLaunch launch) => _launch = launch;

    public string SocketPath => _launch.SocketPath;

    public ServerProcess? Process { get; private set; }

    /// <summary>The exit code of the last process that exited (failed start, terminate, kill).</summary>
    public int? LastExitCode { get; private set; }

    /// <summary>Stderr of processes that are gone, kept for checks and reports.</summary>
    public string PastStderr { get; private set; } = "";

    /// <summary>Whether the runner stopped the server on purpose (then "alive" is not checked implicitly).</summary>
    public bool StoppedOnPurpose { get; set; }

    /// <summary>A listener the kit holds at the socket path as a "live server" (TRANS-3 case 2).</summary>
    public Socket? LiveImpostor { get; set; }

    public bool IsAlive => Process is { HasExited: false };

    public int? Pid => Process?.Pid;

    public IReadOnlyList<string> OutputLines => [.. PastStderr.Split('\n', StringSplitOptions.RemoveEmptyEntries), .. Process?.OutputLines ?? []];

    public string StderrTail(int lines) =>
        Process is not null ? Process.StderrTail(lines) : string.Join('\n', PastStderr.Split('\n').TakeLast(lines));

    /// <summary>The lines of the current process written since <paramref name="since"/> that <paramref name="keep"/> accepts (see <see cref="ServerProcess.StderrTail(int, long, Func{string, bool})"/>).</summary>
    public string StderrTail(int lines, long since, Func<string, bool> keep) =>
        Process is not null ? Process.StderrTail(lines, since, keep) : StderrTail(lines);

    /// <summary>Starts the server and waits until it is ready (SPEC PROF-2).</summary>
    /// <exception cref="ServerStartException">It exited or did not become ready.</exception>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await RetireAsync().ConfigureAwait(false);
            Process = await ServerProcess.StartAsync(_launch, cancellationToken).ConfigureAwait(false);
        }
        catch (ServerStartException ex)
        {
            LastExitCode = ex.ExitCode;
            PastStderr += ex.StderrTail + "\n";
            throw;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// Runs the server where it must refuse to start (TRANS-3, CONF-2): no readiness wait (something else
    /// may be listening at the path on purpose), just its exit within <paramref name="timeout"/> (SPEC PROF-3).
    /// Returns false when it was still running and had to be killed.
    /// </summary>
    public async Task<bool> RunExpectingExitAsync(TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        IReadOnlyList<string> words = _launch.ExpandCommand();
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(timeout);
        try
        {
            BufferedCommandResult result = await Cli.Wrap(words[0]).WithArguments(words.Skip(1))
                .WithValidation(CommandResultValidation.None)
                .ExecuteBufferedAsync(limit.Token).ConfigureAwait(false);
            LastExitCode = result.ExitCode;
            PastStderr += result.StandardError + "\n" + result.StandardOutput + "\n";
            return true;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            PastStderr += $"(still running after {timeout.TotalSeconds:0} s; killed by the kit)\n";
            return false;
        }
    }

    /// <summary>SIGKILLs the server (a crash: the socket file stays behind).</summary>
    public async Task KillAsync(CancellationToken cancellationToken = default)
    {
        if (Process is { } process)
        {
            _ = Libc.Kill(process.Pid, LinuxAbi.SigKill);
            await process.Exited.WaitAsync(TimeSpan.FromSeconds(5), cancellationToken).ContinueWith(_ => { }, TaskScheduler.Default).ConfigureAwait(false);
            LastExitCode = process.ExitCode;
        }
    }

    /// <summary>SIGTERMs the server and waits up to the grace period plus 5 s (SPEC PROF-3).</summary>
    public async Task<int?> TerminateAsync(TimeSpan grace, CancellationToken cancellationToken = default)
    {
        if (Process is not { } process)
        {
            return null;
        }

        LastExitCode = await process.StopAsync(grace + TimeSpan.FromSeconds(5), cancellationToken).ConfigureAwait(false);
        return LastExitCode;
    }

    /// <summary>Waits for the server to exit by itself (a start that must fail), up to <paramref name="timeout"/>.</summary>
    public async Task<bool> WaitForExitAsync(TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        if (Process is not { } process)
        {
            return true;
        }

        try
        {
            LastExitCode = await process.WaitForExitAsync(cancellationToken).WaitAsync(timeout, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
    }

    private async Task RetireAsync()
    {
        if (Process is { } old)
        {
            PastStderr += old.StderrTail(200) + "\n";
            await old.DisposeAsync().ConfigureAwait(false);
            Process = null;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Process is { } process)
        {
            if (!process.HasExited)
            {
                await process.StopAsync(TimeSpan.FromSeconds(3)).ConfigureAwait(false);
            }

            await process.DisposeAsync().ConfigureAwait(false);
        }

        LiveImpostor?.Dispose();
        _gate.Dispose();
    }
}
