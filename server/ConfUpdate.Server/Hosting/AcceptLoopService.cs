using System.Collections.Concurrent;
using System.Net.Sockets;
using ConfUpdate.Native;
using ConfUpdate.Protocol;
using ConfUpdate.Server.Audit;
using ConfUpdate.Server.Configuration;
using ConfUpdate.Server.Connections;
using ConfUpdate.Server.Targets;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ConfUpdate.Server.Hosting;

/// <summary>
/// The one accept loop. Each connection runs in its own task (SPEC CONN-1); on shutdown the loop
/// stops accepting, connections finish what they are doing within the grace period, idle ones get
/// SHUTTING_DOWN, and the socket file is removed (SPEC LIFE-1).
/// </summary>
internal sealed partial class AcceptLoopService(
    ServerListener listener,
    ServerConfig config,
    ConnectionLimiter limiter,
    RequestProcessor processor,
    PeerAdmission admission,
    AuditLog audit,
    ILogger<AcceptLoopService> logger,
    ILogger<Connection> connectionLogger) : BackgroundService
{
    // A burst worth giving memory back after: fewer connections than this hold well under a megabyte.
    private const int ConnectionsPerCollection = 256;

    // Past this many threads in fsync at once the disk, not the pool, is the limit.
    private const int MaxReservedThreads = 256;
    private static readonly TimeSpan s_acceptRetryDelay = TimeSpan.FromMilliseconds(100);
    private readonly ConcurrentDictionary<long, (Connection Connection, Task Task)> _connections = new();
    private long _nextId;
    private long _closedSinceCollection;

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await AcceptLoopAsync(stoppingToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
        {
            // The host stops when a BackgroundService fails; make the exit status say so.
            LogAcceptLoopFailed(logger, ex);
            Environment.ExitCode = 1;
            throw;
        }
    }

    private async Task AcceptLoopAsync(CancellationToken stoppingToken)
    {
        ReserveInstallThreads();

        // DUR-6: a predecessor's leftovers go before the first connection is accepted. The listener is
        // already ours (TRANS-3 refused a live server), so no other instance is installing into them.
        int recovered = TempFileRecovery.Run(config.Targets, Libc.GetEUid(), audit, (directory, problem) => LogRecoveryFailed(logger, directory, problem));
        if (recovered > 0)
        {
            LogRecovered(logger, recovered);
        }

        LogListening(logger, listener.Description);
        NotifyReady();
        while (!stoppingToken.IsCancellationRequested)
        {
            Socket accepted;
            try
            {
                accepted = await listener.Socket.AcceptAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (ObjectDisposedException)
            {
                break;
            }
            catch (SocketException ex)
            {
                // EMFILE, ENOBUFS, ECONNABORTED: transient; keep serving (CONN-1).
                LogAcceptFailed(logger, ex.SocketErrorCode.ToString(), ex.Message);
                await Task.Delay(s_acceptRetryDelay, stoppingToken).ConfigureAwait(false);
                continue;
            }

            // AUTH-6 in the loop itself: a denied peer never gets a task (cheap rejection under a flood).
            if (admission.Admit(accepted) is { } peer)
            {
                Track(accepted, peer, stoppingToken);
            }
        }
    }

    /// <inheritdoc />
    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        // Cancels the accept and tells idle connections to send SHUTTING_DOWN.
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
        listener.StopAccepting();
        Task[] running = [.. _connections.Values.Select(c => c.Task)];
        try
        {
            await Task.WhenAll(running).WaitAsync(config.Limits.ShutdownGrace, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is TimeoutException or OperationCanceledException)
        {
            LogGraceExpired(logger, _connections.Count);
            foreach ((Connection connection, Task _) in _connections.Values)
            {
                // LIFE-3: SHUTTING_DOWN, then end of stream; never end of stream alone.
                connection.Abandon();
            }
        }

        listener.Dispose();
        LogStopped(logger);
    }

    private void Track(Socket accepted, PeerCredentials peer, CancellationToken stoppingToken)
    {
        long id = Interlocked.Increment(ref _nextId);
        var connection = new Connection(accepted, peer, config, limiter, processor, audit, connectionLogger);
        // The gate keeps the entry's removal from racing its insertion when a connection ends at once.
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Task task = Task.Run(async () =>
        {
            await gate.Task.ConfigureAwait(false);
            try
            {
                await connection.RunAsync(stoppingToken).ConfigureAwait(false);
            }
            finally
            {
                _connections.TryRemove(id, out _);
                ReturnMemoryWhenIdle();
            }
        }, CancellationToken.None);
        _connections[id] = (connection, task);
        gate.SetResult();
    }

    /// <summary>
    /// An install blocks its thread-pool thread in fsync (and in the group commit's wait), and each
    /// connection has at most one request in flight (FRAME-2). Left to itself the pool starts with one
    /// thread per core and adds more only after it sees starvation (about two a second), so a burst of
    /// REPLACEs on several connections would queue behind the first two fsyncs. Threads are still created
    /// only when needed; this only removes the delay before they are.
    /// </summary>
    private void ReserveInstallThreads()
    {
        ThreadPool.GetMinThreads(out int workers, out int completionPorts);
        int wanted = Math.Min(config.Limits.MaxConnections + System.Environment.ProcessorCount, MaxReservedThreads);
        if (workers < wanted)
        {
            _ = ThreadPool.SetMinThreads(wanted, completionPorts);
        }
    }

    /// <summary>
    /// After a burst of connections has ended, gives the memory they used back to the system. Left to
    /// itself the GC keeps what a burst made it commit (measured, issue 10: 1000 idle connections took
    /// 4-7 MB more, and the resident size stayed there after they closed, until allocation in some later
    /// burst triggered a collection). One aggressive collection when the last connection of a burst has
    /// closed costs a few milliseconds once, at a moment when no client is waiting.
    /// </summary>
    private void ReturnMemoryWhenIdle()
    {
        if (Interlocked.Increment(ref _closedSinceCollection) >= ConnectionsPerCollection && _connections.IsEmpty
            && Interlocked.Exchange(ref _closedSinceCollection, 0) >= ConnectionsPerCollection)
        {
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        }
    }

    private void NotifyReady()
    {
        // PROF-2: READY=1 once listening; a failure is worth a warning, not a stop.
        if (!ReadinessNotifier.TryNotifyReady(out string problem))
        {
            LogNotifyFailed(logger, problem);
        }
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "listening on {Path}")]
    private static partial void LogListening(ILogger logger, string path);

    [LoggerMessage(EventId = 2, Level = LogLevel.Warning, Message = "accept failed ({Error}): {Message}")]
    private static partial void LogAcceptFailed(ILogger logger, string error, string message);

    [LoggerMessage(EventId = 3, Level = LogLevel.Warning, Message = "shutdown grace period over; closing {Count} connection(s) still busy")]
    private static partial void LogGraceExpired(ILogger logger, int count);

    [LoggerMessage(EventId = 5, Level = LogLevel.Warning, Message = "readiness notification failed: {Problem}")]
    private static partial void LogNotifyFailed(ILogger logger, string problem);

    [LoggerMessage(EventId = 6, Level = LogLevel.Critical, Message = "the accept loop failed; stopping")]
    private static partial void LogAcceptLoopFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 7, Level = LogLevel.Warning, Message = "removed {Count} leftover temporary file(s) at start")]
    private static partial void LogRecovered(ILogger logger, int count);

    [LoggerMessage(EventId = 8, Level = LogLevel.Error, Message = "could not examine {Directory} for leftover temporary files: {Problem}")]
    private static partial void LogRecoveryFailed(ILogger logger, string directory, string problem);

    [LoggerMessage(EventId = 4, Level = LogLevel.Information, Message = "stopped")]
    private static partial void LogStopped(ILogger logger);
}
