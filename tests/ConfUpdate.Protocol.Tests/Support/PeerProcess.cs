using System.Diagnostics;
using System.Net.Sockets;

namespace ConfUpdate.Protocol.Tests.Support;

/// <summary>
/// A Python process, run as another user with <c>setpriv</c>, that connects a SOCK_SEQPACKET socket to a
/// path and waits until the server end closes. setpriv execs Python, so the process id is the peer's pid.
/// </summary>
internal sealed class PeerProcess : IDisposable
{
    private const string Script =
        "import socket, sys\n" +
        "s = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)\n" +
        "s.connect(sys.argv[1])\n" +
        "s.recv(1)\n";

    // Absolute: the test runner's PATH may lead to a per-user Python (pyenv under /root) the peer cannot run.
    private const string Python = "/usr/bin/python3";

    private readonly Process _process;

    private PeerProcess(Process process) => _process = process;

    public int Pid => _process.Id;

    /// <summary>Starts the peer as <paramref name="uid"/>/<paramref name="gid"/> with that user's supplementary groups (<c>--init-groups</c>).</summary>
    public static PeerProcess StartAs(uint uid, uint gid, string socketPath)
    {
        var start = new ProcessStartInfo("setpriv")
        {
            ArgumentList = { $"--reuid={uid}", $"--regid={gid}", "--init-groups", Python, "-I", "-S", "-c", Script, socketPath },
            UseShellExecute = false,
            RedirectStandardError = true,
            WorkingDirectory = "/",
        };
        return new PeerProcess(Process.Start(start) ?? throw new InvalidOperationException("setpriv did not start."));
    }

    /// <summary>
    /// Accepts the peer's connection on <paramref name="listener"/>; fails at once, with the peer's
    /// standard error, if the peer exits before connecting instead of waiting for the test's timeout.
    /// </summary>
    public async Task<Socket> AcceptFromAsync(Socket listener, CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        Task<Socket> accept = listener.AcceptAsync(stop.Token).AsTask();
        Task exited = _process.WaitForExitAsync(stop.Token);
        if (await Task.WhenAny(accept, exited) == accept)
        {
            await stop.CancelAsync();
            return await accept;
        }

        await stop.CancelAsync();
        (int exitCode, string stderr) = await WaitForExitAsync(cancellationToken);
        throw new InvalidOperationException($"The peer exited with {exitCode} before connecting: {stderr}");
    }

    /// <summary>Waits for the peer to exit and returns its exit code and standard error.</summary>
    public async Task<(int ExitCode, string StandardError)> WaitForExitAsync(CancellationToken cancellationToken)
    {
        string stderr = await _process.StandardError.ReadToEndAsync(cancellationToken);
        await _process.WaitForExitAsync(cancellationToken);
        return (_process.ExitCode, stderr);
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(2000);
        }

        _process.Dispose();
    }
}
