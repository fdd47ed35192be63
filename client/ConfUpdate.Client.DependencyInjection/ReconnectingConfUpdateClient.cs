using ConfUpdate.Protocol;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace ConfUpdate.Client;

/// <summary>
/// One shared, thread-safe client over a single connection that it opens on first use and opens again when
/// the server has closed it (its idle timeout, SPEC CONN-2; a restart). A request that certainly did not
/// reach the server is sent once more on the new connection; a HELLO or GET_VERSION lost after it was sent
/// is also repeated once, because reading changes nothing. A REPLACE lost after the server read it is never
/// repeated: it fails with <see cref="ConfUpdateOutcomeUnknownException"/>.
/// </summary>
/// <remarks>
/// Calls are carried out one at a time, in the order they acquire the client, like the single connection
/// underneath (SPEC FRAME-1 pairs each reply with one request). Status refusals
/// (<see cref="ConfUpdateStatusException"/>) and connect failures are passed through unchanged.
/// </remarks>
public sealed partial class ReconnectingConfUpdateClient : IConfUpdateClient, IAsyncDisposable, IDisposable
{
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private ConfUpdateClient? _connection;
    private bool _everConnected;
    private int _disposed;

    /// <summary>Creates the client from bound options (what <c>AddConfUpdateClient</c> registers).</summary>
    public ReconnectingConfUpdateClient(IOptions<ConfUpdateClientOptions> options, ILogger<ReconnectingConfUpdateClient> logger)
        : this((options ?? throw new ArgumentNullException(nameof(options))).Value, logger)
    {
    }

    /// <summary>Creates the client for <paramref name="options"/>; nothing connects until the first call.</summary>
    public ReconnectingConfUpdateClient(ConfUpdateClientOptions options, ILogger<ReconnectingConfUpdateClient>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        Options = options;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
    }

    /// <summary>The options every connection is opened with.</summary>
    public ConfUpdateClientOptions Options { get; }

    /// <inheritdoc/>
    public Task<HelloInfo> HelloAsync(CancellationToken cancellationToken = default) =>
        RunAsync("HELLO", target: null, connection => connection.HelloAsync(cancellationToken), cancellationToken);

    /// <inheritdoc/>
    public Task<ContentVersion> ReplaceAsync(string target, ReadOnlyMemory<byte> content, ContentVersion? expectedVersion = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(target);
        return RunAsync("REPLACE", target, connection => connection.ReplaceAsync(target, content, expectedVersion, cancellationToken), cancellationToken);
    }

    /// <inheritdoc/>
    public Task<TargetVersion> GetVersionAsync(string target, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(target);
        return RunAsync("GET_VERSION", target, connection => connection.GetVersionAsync(target, cancellationToken), cancellationToken);
    }

    /// <summary>Closes the connection; later calls throw <see cref="ObjectDisposedException"/>.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        if (Interlocked.Exchange(ref _connection, null) is { } connection)
        {
            await connection.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Closes the connection; later calls throw <see cref="ObjectDisposedException"/>.</summary>
    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    private async Task<T> RunAsync<T>(string operation, string? target, Func<ConfUpdateClient, Task<T>> call, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        bool changesState = target is not null && operation == "REPLACE";
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            // Two attempts at most: the second only after the first connection was found closed.
            for (int attempt = 1; ; attempt++)
            {
                ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
                ConfUpdateClient connection = await ConnectedAsync(cancellationToken).ConfigureAwait(false);
                try
                {
                    return await call(connection).ConfigureAwait(false);
                }
                catch (ConfUpdateConnectionException ex) when (ex.RequestMayHaveBeenApplied && changesState)
                {
                    await DropAsync(connection).ConfigureAwait(false);
                    LogOutcomeUnknown(_logger, target!, Options.SocketPath, ex.Message);
                    throw new ConfUpdateOutcomeUnknownException(target!, Options.SocketPath, ex);
                }
                catch (ConfUpdateProtocolException ex) when (ex.IsTimeout && changesState)
                {
                    // The server read the request and may still install it after the reply's deadline.
                    await DropAsync(connection).ConfigureAwait(false);
                    LogOutcomeUnknown(_logger, target!, Options.SocketPath, ex.Message);
                    throw new ConfUpdateOutcomeUnknownException(target!, Options.SocketPath, ex);
                }
                catch (ConfUpdateConnectionException ex) when (attempt == 1 && ex.Reason is ConfUpdateConnectionReason.Closed or ConfUpdateConnectionReason.Other)
                {
                    // Not delivered (or a read): safe to send on a new connection.
                    await DropAsync(connection).ConfigureAwait(false);
                    LogRetrying(_logger, operation, Options.SocketPath, ex.Message);
                }
                catch (Exception) when (!connection.IsOpen)
                {
                    // A timeout, a cancellation in flight, a protocol error or an unsolicited refusal closed it.
                    await DropAsync(connection).ConfigureAwait(false);
                    throw;
                }
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>The open connection, or a new one when there is none or the server has closed it. Called under the gate.</summary>
    private async Task<ConfUpdateClient> ConnectedAsync(CancellationToken cancellationToken)
    {
        if (_connection is { IsOpen: true } open)
        {
            return open;
        }

        if (_connection is { } closed)
        {
            LogServerClosed(_logger, Options.SocketPath);
            await DropAsync(closed).ConfigureAwait(false);
        }

        ConfUpdateClient connection = await ConfUpdateClient.ConnectAsync(Options, cancellationToken).ConfigureAwait(false);
        _connection = connection;
        if (_everConnected)
        {
            LogReconnected(_logger, Options.SocketPath);
        }
        else
        {
            LogConnected(_logger, Options.SocketPath);
        }

        _everConnected = true;
        return connection;
    }

    private async Task DropAsync(ConfUpdateClient connection)
    {
        if (Interlocked.CompareExchange(ref _connection, null, connection) == connection)
        {
            await connection.DisposeAsync().ConfigureAwait(false);
        }
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Debug, Message = "Connected to the ConfUpdate server at {SocketPath}")]
    private static partial void LogConnected(ILogger logger, string socketPath);

    [LoggerMessage(EventId = 2, Level = LogLevel.Information, Message = "The ConfUpdate server at {SocketPath} closed the connection (idle timeout or restart); connecting again")]
    private static partial void LogServerClosed(ILogger logger, string socketPath);

    [LoggerMessage(EventId = 3, Level = LogLevel.Information, Message = "Reconnected to the ConfUpdate server at {SocketPath}")]
    private static partial void LogReconnected(ILogger logger, string socketPath);

    [LoggerMessage(EventId = 4, Level = LogLevel.Information, Message = "{Operation} to {SocketPath} was not delivered ({Reason}); sending it once more on a new connection")]
    private static partial void LogRetrying(ILogger logger, string operation, string socketPath, string reason);

    [LoggerMessage(EventId = 5, Level = LogLevel.Warning, Message = "The outcome of REPLACE '{Target}' at {SocketPath} is unknown and it is not sent again: {Reason}")]
    private static partial void LogOutcomeUnknown(ILogger logger, string target, string socketPath, string reason);
}
