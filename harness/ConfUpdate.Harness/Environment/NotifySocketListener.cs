using System.Net.Sockets;
using System.Text;

namespace ConfUpdate.Harness.Environment;

/// <summary>
/// The kit's end of <c>NOTIFY_SOCKET</c> (SPEC PROF-2): an AF_UNIX datagram socket bound in a private
/// temporary directory; it completes <see cref="Ready"/> when a <c>READY=1</c> line arrives (sd_notify protocol).
/// </summary>
internal sealed class NotifySocketListener : IAsyncDisposable
{
    private readonly Socket _socket;
    private readonly string _directory;
    private readonly CancellationTokenSource _stop = new();
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Task _loop;

    private NotifySocketListener(Socket socket, string directory, string path)
    {
        _socket = socket;
        _directory = directory;
        Path = path;
        _loop = ReceiveLoopAsync();
    }

    public string Path { get; }

    public Task Ready => _ready.Task;

    public static NotifySocketListener Create()
    {
        DirectoryInfo directory = Directory.CreateTempSubdirectory("confkit-notify-");
        string path = System.IO.Path.Combine(directory.FullName, "notify.sock");
        var socket = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
        try
        {
            socket.Bind(new UnixDomainSocketEndPoint(path));
            return new NotifySocketListener(socket, directory.FullName, path);
        }
        catch
        {
            socket.Dispose();
            directory.Delete(recursive: true);
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        _socket.Dispose();
        try
        {
            await _loop.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Expected on stop.
        }

        _stop.Dispose();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a leftover empty directory in /tmp is harmless.
        }
    }

    private async Task ReceiveLoopAsync()
    {
        byte[] buffer = new byte[4096];
        while (!_stop.IsCancellationRequested)
        {
            int length;
            try
            {
                length = await _socket.ReceiveAsync(buffer, SocketFlags.None, _stop.Token).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is SocketException or ObjectDisposedException or OperationCanceledException)
            {
                return;
            }

            string message = Encoding.UTF8.GetString(buffer, 0, length);
            if (message.Split('\n').Any(line => line.Trim() == "READY=1"))
            {
                _ready.TrySetResult();
            }
        }
    }
}
