using System.Net.Sockets;
using ConfUpdate.Protocol;

namespace ConfUpdate.Client;

/// <summary>
/// A connection to a ConfUpdate server (docs/SPEC.md): say hello, replace a target's content, read a
/// target's version. Start with <see cref="ConnectAsync(string, CancellationToken)"/>.
/// </summary>
/// <remarks>
/// One request is in flight at a time; concurrent calls wait their turn. A status other than OK
/// surfaces as <see cref="ConfUpdateStatusException"/> and leaves the connection usable (unless the
/// server sent it unsolicited and closed). Any other failure (a protocol error, a timeout, a
/// cancellation while a request was in flight, a lost connection) closes the connection, because the
/// next reply could no longer be matched to its request: dispose the client and connect again.
/// </remarks>
public sealed partial class ConfUpdateClient : IAsyncDisposable
{
    private readonly Socket _socket;
    private readonly SemaphoreSlim _gate = new(1, 1);

    // FRAME-9: every reply fits in MaxReplySize bytes, so one more byte reveals an oversized one even
    // without MSG_TRUNC; SeqPacket.ReceiveAsync also reports the real length.
    private readonly byte[] _replyBuffer = new byte[ProtocolLimits.MaxReplySize + 1];

    private uint _lastRequestId;
    private string? _closedBecause;
    private int _disposed;

    private ConfUpdateClient(Socket socket, ConfUpdateClientOptions options)
    {
        _socket = socket;
        Options = options;
    }

    /// <summary>The options this client was connected with.</summary>
    public ConfUpdateClientOptions Options { get; }

    /// <summary>
    /// Whether a request can still be sent: false once this client closed the connection after a failure or
    /// was disposed, or when the server has closed its end (an idle timeout, a restart), which is checked
    /// without blocking. True does not promise the next request succeeds; the server may close at any time.
    /// </summary>
    public bool IsOpen
    {
        get
        {
            if (Volatile.Read(ref _disposed) != 0 || _closedBecause is not null)
            {
                return false;
            }

            try
            {
                if (!_socket.Poll(0, SelectMode.SelectRead))
                {
                    return true;
                }

                // Readable with nothing queued: end of stream or a pending error (the server has gone). A queued
                // datagram is a reply while a request is in flight; with none in flight it can only be an
                // unsolicited FORBIDDEN, BUSY or SHUTTING_DOWN, which the server sends as it closes (SPEC AUTH-6,
                // CONN-3, LIFE-1).
                return _socket.Available > 0 && _gate.CurrentCount == 0;
            }
            catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
            {
                return false;
            }
        }
    }

    /// <summary>Connects to the server listening at <paramref name="socketPath"/> with default options.</summary>
    /// <exception cref="ConfUpdateConnectionException">The socket is missing, not accessible, refuses, or is not SOCK_SEQPACKET.</exception>
    /// <exception cref="ConfUpdateProtocolException">The connect did not complete within the default timeout.</exception>
    /// <exception cref="ArgumentException">The path is empty or too long for an AF_UNIX address.</exception>
    public static Task<ConfUpdateClient> ConnectAsync(string socketPath, CancellationToken cancellationToken = default) =>
        ConnectAsync(new ConfUpdateClientOptions(socketPath), cancellationToken);

    /// <summary>Connects to the server that <paramref name="options"/> names.</summary>
    /// <exception cref="ConfUpdateConnectionException">The socket is missing, not accessible, refuses, or is not SOCK_SEQPACKET.</exception>
    /// <exception cref="ConfUpdateProtocolException">The connect did not complete within <see cref="ConfUpdateClientOptions.RequestTimeout"/>.</exception>
    /// <exception cref="ArgumentException">The path is too long for an AF_UNIX address.</exception>
    public static async Task<ConfUpdateClient> ConnectAsync(ConfUpdateClientOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        // Throws ArgumentOutOfRangeException for a path longer than sun_path before any I/O.
        _ = new UnixDomainSocketEndPoint(options.SocketPath);
        cancellationToken.ThrowIfCancellationRequested();

        using var deadline = new RequestDeadline(options.RequestTimeout, cancellationToken);
        try
        {
            Socket socket = await ConnectWhenBacklogAllowsAsync(options.SocketPath, deadline.Token).ConfigureAwait(false);
            return new ConfUpdateClient(socket, options);
        }
        catch (SocketException ex)
        {
            throw SocketErrors.ForConnect(ex, options.SocketPath);
        }
        catch (OperationCanceledException ex) when (deadline.TimedOut)
        {
            // Only a full listen backlog makes an AF_UNIX connect wait (see ConnectWhenBacklogAllowsAsync).
            throw new ConfUpdateProtocolException(
                $"Connecting to {options.SocketPath} did not complete within {Seconds(options.RequestTimeout)}; expected the server to accept (its listen backlog stayed full).",
                isTimeout: true, ex);
        }
        catch (OperationCanceledException ex) when (cancellationToken.IsCancellationRequested)
        {
            throw new OperationCanceledException($"Connecting to {options.SocketPath} was cancelled.", ex, cancellationToken);
        }
    }

    private static async Task<Socket> ConnectWhenBacklogAllowsAsync(string path, CancellationToken cancellationToken)
    {
        // A non-blocking connect() to an AF_UNIX listener whose backlog is full fails at once with
        // EAGAIN (SocketError.WouldBlock, measured) where a blocking one would wait: wait here too,
        // polling with backoff until the server accepts or the deadline passes.
        var pause = TimeSpan.FromMilliseconds(5);
        while (true)
        {
            try
            {
                return await SeqPacket.ConnectAsync(path, cancellationToken).ConfigureAwait(false);
            }
            catch (SocketException ex) when (ex.SocketErrorCode == SocketError.WouldBlock)
            {
                await Task.Delay(pause, cancellationToken).ConfigureAwait(false);
                pause = TimeSpan.FromTicks(Math.Min(pause.Ticks * 2, TimeSpan.FromMilliseconds(200).Ticks));
            }
        }
    }

    /// <summary>Asks for the server's protocol version, maximum request size, name and version (SPEC OP-1).</summary>
    /// <exception cref="ConfUpdateStatusException">The server answered with a status other than OK (e.g. FORBIDDEN at accept).</exception>
    /// <exception cref="ConfUpdateConnectionException">The connection was closed.</exception>
    /// <exception cref="ConfUpdateProtocolException">The reply was malformed or mismatched, or did not arrive in time.</exception>
    public async Task<HelloInfo> HelloAsync(CancellationToken cancellationToken = default)
    {
        Reply reply = await ExchangeAsync(id => new HelloRequest(id), cancellationToken).ConfigureAwait(false);
        return DecodeBody(reply, HelloInfo.Decode);
    }

    /// <summary>
    /// Replaces the whole content of <paramref name="target"/> and returns its new version once the server
    /// has installed it durably (SPEC OP-2, DUR-1). With <paramref name="expectedVersion"/>, the server
    /// installs only if the current version equals it (compare-and-set, SPEC OP-4); pass
    /// <see cref="ContentVersion.Absent"/> to create a target only if it does not exist yet.
    /// </summary>
    /// <exception cref="ArgumentException">The target name is empty or longer than 255 UTF-8 bytes; nothing was sent.</exception>
    /// <exception cref="ConfUpdateStatusException">The server refused (UNKNOWN_TARGET, CONFLICT, VALIDATION_FAILED, TOO_LARGE, …); it applied nothing.</exception>
    /// <exception cref="ConfUpdateConnectionException">The connection was closed, or the request exceeds the socket's send buffer.</exception>
    /// <exception cref="ConfUpdateProtocolException">The reply was malformed or mismatched, or did not arrive in time.</exception>
    public async Task<ContentVersion> ReplaceAsync(string target, ReadOnlyMemory<byte> content, ContentVersion? expectedVersion = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(target);
        Reply reply = await ExchangeAsync(id => new ReplaceRequest(id, target, content, expectedVersion), cancellationToken).ConfigureAwait(false);
        return DecodeBody(reply, body =>
        {
            if (body.Length != ProtocolLimits.VersionSize)
            {
                throw new ProtocolException($"REPLACE reply body is {body.Length} bytes; expected the {ProtocolLimits.VersionSize}-byte new version.");
            }

            return ContentVersion.FromBytes(body);
        });
    }

    /// <summary>Reads whether <paramref name="target"/> exists, its size and its version (SPEC OP-3); never its content.</summary>
    /// <exception cref="ArgumentException">The target name is empty or longer than 255 UTF-8 bytes; nothing was sent.</exception>
    /// <exception cref="ConfUpdateStatusException">The server refused (UNKNOWN_TARGET, UNSAFE_TARGET, …).</exception>
    /// <exception cref="ConfUpdateConnectionException">The connection was closed.</exception>
    /// <exception cref="ConfUpdateProtocolException">The reply was malformed or mismatched, or did not arrive in time.</exception>
    public async Task<TargetVersion> GetVersionAsync(string target, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(target);
        Reply reply = await ExchangeAsync(id => new GetVersionRequest(id, target), cancellationToken).ConfigureAwait(false);
        return DecodeBody(reply, TargetVersion.Decode);
    }

    /// <summary>Closes the connection. A request still in flight fails with <see cref="ObjectDisposedException"/>.</summary>
    public ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _socket.Dispose();
        }

        return ValueTask.CompletedTask;
    }

    private static string Seconds(TimeSpan timeout) => $"{timeout.TotalSeconds:0.###} s";
}
