using System.Collections.Concurrent;
using System.Net.Sockets;
using ConfUpdate.Protocol;

namespace ConfUpdate.Client.Tests;

/// <summary>
/// A real AF_UNIX SOCK_SEQPACKET listener that plays the server: each accepted connection runs the
/// test's script, which answers with datagrams of its choosing. Keeps the client tests independent of
/// the reference server.
/// </summary>
internal sealed class ScriptedPeer : IAsyncDisposable
{
    private readonly Socket _listener;
    private readonly Func<PeerConnection, CancellationToken, Task> _script;
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentBag<Task> _connections = [];
    private readonly ConcurrentQueue<Exception> _errors = new();
    private readonly Task _acceptLoop;
    private int _accepted;

    private ScriptedPeer(Socket listener, string socketPath, Func<PeerConnection, CancellationToken, Task> script)
    {
        _listener = listener;
        _script = script;
        SocketPath = socketPath;
        _acceptLoop = AcceptLoopAsync();
    }

    public string SocketPath { get; }

    /// <summary>Exceptions the scripts threw (other than the cancellation at shutdown).</summary>
    public IReadOnlyCollection<Exception> Errors => _errors;

    public int AcceptedConnections => Volatile.Read(ref _accepted);

    public static ScriptedPeer Start(string socketPath, Func<PeerConnection, CancellationToken, Task> script)
    {
        Socket listener = SeqPacket.Create();
        try
        {
            listener.Bind(new UnixDomainSocketEndPoint(socketPath));
            listener.Listen(16);
        }
        catch
        {
            listener.Dispose();
            throw;
        }

        return new ScriptedPeer(listener, socketPath, script);
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket accepted;
            try
            {
                accepted = await _listener.AcceptAsync(_stop.Token);
            }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }

            Interlocked.Increment(ref _accepted);
            _connections.Add(RunScriptAsync(new PeerConnection(accepted)));
        }
    }

    private async Task RunScriptAsync(PeerConnection connection)
    {
        using (connection)
        {
            try
            {
                await _script(connection, _stop.Token);
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
            }
            catch (Exception ex)
            {
                _errors.Enqueue(ex);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Dispose();
        await _acceptLoop;
        await Task.WhenAll(_connections);
        _stop.Dispose();
        // .NET unlinks a socket file it bound when the socket is disposed; make sure regardless.
        File.Delete(SocketPath);
    }
}
