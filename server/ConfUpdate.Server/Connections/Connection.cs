using System.Buffers;
using System.Diagnostics;
using System.Net.Sockets;
using ConfUpdate.Native;
using ConfUpdate.Protocol;
using ConfUpdate.Server.Audit;
using ConfUpdate.Server.Configuration;
using ConfUpdate.Server.Native;
using Microsoft.Extensions.Logging;

namespace ConfUpdate.Server.Connections;

/// <summary>
/// One accepted connection of an allowed peer (the accept loop identified it from the kernel and
/// decided once, SPEC AUTH-1, AUTH-7, with <see cref="PeerAdmission"/>): cap (CONN-3), then answer
/// datagrams one at a time, in order (FRAME-1, FRAME-2), until end of stream, idle timeout or shutdown
/// (LIFE-1, LIFE-3). Owns and disposes the socket.
/// </summary>
internal sealed partial class Connection(
    Socket socket,
    PeerCredentials peer,
    ServerConfig config,
    ConnectionLimiter limiter,
    RequestProcessor processor,
    AuditLog audit,
    ILogger logger) : IDisposable
{
    // Who may send on the socket now (LIFE-3): the connection's own replies, or the shutdown's abandon.
    private const int SendOpen = 0;
    private const int SendBusy = 1;
    private const int SendAbandoned = 2;
    private static readonly TimeSpan s_abandonWait = TimeSpan.FromMilliseconds(200);
    private const string EmptyQuoted = "\"\"";

    // Not linked to shutdown: LIFE-1 lets replies of requests in flight be sent.
    private readonly CancellationTokenSource _sendTimeout = new();
    private int _requests;
    private int _sendState;

    /// <summary>Serves the connection; never throws (an error closes this connection only, SPEC CONN-1).</summary>
    public async Task RunAsync(CancellationToken shutdown)
    {
        try
        {
            await ServeAsync(shutdown).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            LogConnectionFailed(logger, ex);
        }
        finally
        {
            // CONN-4: the descriptor is released whatever happened.
            SocketClose.Close(socket);
            Dispose();
        }
    }

    private async Task ServeAsync(CancellationToken shutdown)
    {
        if (!limiter.TryAcquire(peer.Uid, out string capReason))
        {
            audit.Busy(peer, capReason);
            await SendUnsolicitedAsync(Status.Busy).ConfigureAwait(false);
            return;
        }

        string closeReason = "error";
        try
        {
            audit.Accept(peer);
            closeReason = await LoopAsync(peer, shutdown).ConfigureAwait(false);
        }
        finally
        {
            limiter.Release(peer.Uid);
            audit.Close(peer, _requests, closeReason);
        }
    }

    private async Task<string> LoopAsync(PeerCredentials peer, CancellationToken shutdown)
    {
        // CONN-2: one idle timer per connection, armed only while a wait is pending (no allocation per request).
        var idle = CancellationTokenSource.CreateLinkedTokenSource(shutdown);
        long inlineSince = 0;
        try
        {
            while (true)
            {
                if (shutdown.IsCancellationRequested)
                {
                    await SendUnsolicitedAsync(Status.ShuttingDown).ConfigureAwait(false);
                    return "shutdown";
                }

                if (idle.IsCancellationRequested)
                {
                    // The timer fired just as a request arrived: that request reset the idle time.
                    idle.Dispose();
                    idle = CancellationTokenSource.CreateLinkedTokenSource(shutdown);
                }

                int length;
                try
                {
                    ValueTask<int> waiting = PooledReceive.WaitAsync(socket, idle.Token);
                    if (waiting.IsCompleted)
                    {
                        // The next request was already queued. A peer that keeps it so must not keep the socket
                        // engine's thread from the other connections for long (see PooledReceive on inline completions).
                        long now = Stopwatch.GetTimestamp();
                        if (inlineSince == 0)
                        {
                            inlineSince = now;
                        }
                        else if (Stopwatch.GetElapsedTime(inlineSince, now) >= PooledReceive.MaxInlineRun)
                        {
                            inlineSince = 0;
                            await Task.Yield();
                        }

                        length = await waiting.ConfigureAwait(false);
                    }
                    else
                    {
                        inlineSince = 0;
                        idle.CancelAfter(config.Limits.IdleTimeout);
                        length = await waiting.ConfigureAwait(false);
                        idle.CancelAfter(Timeout.InfiniteTimeSpan);
                    }
                }
                catch (OperationCanceledException) when (shutdown.IsCancellationRequested)
                {
                    // LIFE-1: an idle connection is told the server is stopping.
                    await SendUnsolicitedAsync(Status.ShuttingDown).ConfigureAwait(false);
                    return "shutdown";
                }
                catch (OperationCanceledException)
                {
                    // CONN-2: closed without a reply.
                    return "idle-timeout";
                }
                catch (SocketException ex)
                {
                    return $"receive-error:{ex.SocketErrorCode}";
                }

                if (length == 0)
                {
                    // FRAME-5: zero bytes is end of stream, whatever the peer meant.
                    return "eof";
                }

                _requests++;
                Handled handled;
                // FRAME-4: a datagram over M is never applied; its header is all that is read of it.
                int bufferSize = length > config.MaxRequestSize ? ProtocolLimits.RequestHeaderSize : length;
                byte[] buffer = ArrayPool<byte>.Shared.Rent(bufferSize);
                try
                {
                    ReceivedDatagram received;
                    try
                    {
                        received = new ReceivedDatagram(PooledReceive.Take(socket, buffer.AsSpan(0, bufferSize)), bufferSize);
                    }
                    catch (SocketException ex)
                    {
                        return $"receive-error:{ex.SocketErrorCode}";
                    }

                    if (received.IsEndOfStream)
                    {
                        return "eof";
                    }

                    handled = await HandleAsync(buffer, received).ConfigureAwait(false);
                }
                finally
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                }

                bool sent = await TrySendAsync(handled.Reply).ConfigureAwait(false);
                // AUDIT-1, after the reply has gone: the line records the outcome either way, and the
                // client does not wait for the write (measured: a write(2) per request, on its latency).
                audit.Request(peer, handled.Op, handled.Target.Length == 0 ? EmptyQuoted : AuditText.Quote(handled.Target), handled.Size, handled.Reply.Status);
                if (!sent)
                {
                    // DUR-5: the request is complete; only this connection is closed.
                    return "send-failed";
                }
            }
        }
        finally
        {
            idle.Dispose();
        }
    }

    private async Task<Handled> HandleAsync(byte[] buffer, ReceivedDatagram received)
    {
        int size = received.Length;
        string op = OpName(buffer.AsSpan(0, received.BytesInBuffer));
        Reply reply;
        string target = string.Empty;
        if (size > config.MaxRequestSize)
        {
            // FRAME-4: never applied, not even in part; echo the header's opcode byte and id (FRAME-3: any opcode | 0x80).
            (Opcode opcode, uint id) = RequestHeader.TryRead(buffer.AsSpan(0, received.BytesInBuffer), out RequestHeader header)
                ? (header.Opcode, header.RequestId)
                : (Opcode.None, 0u);
            reply = Reply.Failure(opcode, Status.TooLarge, id, $"request is {size} bytes; the maximum is {config.MaxRequestSize}");
        }
        else if (!RequestCodec.TryDecode(buffer.AsSpan(0, received.BytesInBuffer), out Request? request, out RequestDecodeError? error))
        {
            // FRAME-6..8: nothing applied, connection stays open; FRAME-7 carries the highest version spoken.
            ReadOnlyMemory<byte> body = error!.Status == Status.UnsupportedVersion ? new[] { ProtocolLimits.Version } : ReadOnlyMemory<byte>.Empty;
            reply = new Reply(error.Opcode, error.Status, error.RequestId, error.Message, body);
        }
        else if (request is HelloRequest)
        {
            // Answered from memory: no reason to leave the socket engine's thread.
            reply = await processor.ProcessAsync(request).ConfigureAwait(false);
        }
        else
        {
            target = request switch
            {
                ReplaceRequest r => r.Target,
                GetVersionRequest g => g.Target,
                _ => string.Empty,
            };
            // File system work (fsync, validators) runs on the thread pool, never on the socket engine's
            // thread that delivered the datagram (PooledReceive: inline completions).
            reply = await Task.Run(() => processor.ProcessAsync(request!)).ConfigureAwait(false);
        }

        return new Handled(reply, op, target, size);
    }

    private async Task<bool> TrySendAsync(Reply reply)
    {
        byte[] datagram = ReplyCodec.Encode(reply);
        if (Interlocked.CompareExchange(ref _sendState, SendBusy, SendOpen) != SendOpen)
        {
            // LIFE-3: the shutdown abandoned this connection; its SHUTTING_DOWN is the last datagram.
            return false;
        }

        try
        {
            ValueTask<int> sending = socket.SendAsync(datagram, SocketFlags.None, _sendTimeout.Token);
            if (sending.IsCompleted)
            {
                return await sending.ConfigureAwait(false) == datagram.Length;
            }

            // The peer's receive queue is full. A peer that never reads cannot hold the connection (and
            // its task) forever: the timer is armed only now, and disarmed once the send is done.
            _sendTimeout.CancelAfter(config.Limits.IdleTimeout);
            int sent = await sending.ConfigureAwait(false);
            return _sendTimeout.TryReset() && sent == datagram.Length;
        }
        catch (Exception ex) when (ex is SocketException or OperationCanceledException or ObjectDisposedException)
        {
            LogSendFailed(logger, ex.Message);
            return false;
        }
        finally
        {
            _ = Interlocked.CompareExchange(ref _sendState, SendOpen, SendBusy);
        }
    }

    /// <summary>
    /// SPEC LIFE-3: the grace period is over and this connection is still carrying out a request. It
    /// gets one unsolicited SHUTTING_DOWN (after a reply already being sent) and is closed as CONN-5
    /// says; the request's own reply, should it come later, is never sent.
    /// </summary>
    public void Abandon()
    {
        long deadline = Environment.TickCount64 + (long)s_abandonWait.TotalMilliseconds;
        while (Interlocked.CompareExchange(ref _sendState, SendAbandoned, SendOpen) == SendBusy && Environment.TickCount64 < deadline)
        {
            Thread.Sleep(1);
        }

        _sendState = SendAbandoned;
        try
        {
            byte[] datagram = ReplyCodec.Encode(Reply.Failure(Opcode.None, Status.ShuttingDown, 0, string.Empty));
            int fd = (int)socket.SafeHandle.DangerousGetHandle();
            _ = Libc.Send(fd, datagram, (nuint)datagram.Length, LinuxAbi.MsgDontWait | LinuxAbi.MsgNoSignal);
        }
        catch (ObjectDisposedException)
        {
            // Closed meanwhile by its own task: nothing left to say.
        }

        SocketClose.Close(socket);
    }

    /// <summary>Releases the send timer; <see cref="RunAsync"/> does this itself when the connection ends.</summary>
    public void Dispose() => _sendTimeout.Dispose();

    private Task<bool> SendUnsolicitedAsync(Status status) =>
        TrySendAsync(Reply.Failure(Opcode.None, status, 0, string.Empty));

    /// <summary>The opcode as audit lines spell it: HELLO, REPLACE, GET_VERSION, NONE (header incomplete) or 0xNN.</summary>
    internal static string OpName(ReadOnlySpan<byte> datagram) =>
        RequestHeader.TryRead(datagram, out RequestHeader header)
            ? OpcodeInfo.WireName(header.Opcode) ?? $"0x{header.OpcodeByte:x2}"
            : "NONE";

    /// <summary>A request's reply, with what its audit line names: the opcode, the (unescaped) target and the datagram's size.</summary>
    private readonly record struct Handled(Reply Reply, string Op, string Target, int Size);

    [LoggerMessage(EventId = 300, Level = LogLevel.Error, Message = "connection failed and was closed")]
    private static partial void LogConnectionFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 301, Level = LogLevel.Information, Message = "sending a reply failed; closing the connection: {Reason}")]
    private static partial void LogSendFailed(ILogger logger, string reason);
}
