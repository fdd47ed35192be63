using System.Buffers.Binary;
using System.Net.Sockets;
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
    ILogger logger)
{
    // Who may send on the socket now (LIFE-3): the connection's own replies, or the shutdown's abandon.
    private const int SendOpen = 0;
    private const int SendBusy = 1;
    private const int SendAbandoned = 2;
    private static readonly TimeSpan s_abandonWait = TimeSpan.FromMilliseconds(200);
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
        // M + 1 bytes: with MSG_TRUNC the kernel reports the real length anyway (FRAME-4).
        byte[] buffer = new byte[config.MaxRequestSize + 1];
        while (true)
        {
            if (shutdown.IsCancellationRequested)
            {
                await SendUnsolicitedAsync(Status.ShuttingDown).ConfigureAwait(false);
                return "shutdown";
            }

            ReceivedDatagram received;
            using (var idle = CancellationTokenSource.CreateLinkedTokenSource(shutdown))
            {
                idle.CancelAfter(config.Limits.IdleTimeout);
                try
                {
                    received = await SeqPacket.ReceiveAsync(socket, buffer, idle.Token).ConfigureAwait(false);
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
            }

            if (received.IsEndOfStream)
            {
                // FRAME-5: zero bytes is end of stream, whatever the peer meant.
                return "eof";
            }

            _requests++;
            Reply reply = await HandleAsync(peer, buffer, received).ConfigureAwait(false);
            if (!await TrySendAsync(reply).ConfigureAwait(false))
            {
                // DUR-5: the request is complete; only this connection is closed.
                return "send-failed";
            }
        }
    }

    private async Task<Reply> HandleAsync(PeerCredentials peer, byte[] buffer, ReceivedDatagram received)
    {
        int size = received.Length;
        ReadOnlySpan<byte> bytes = buffer.AsSpan(0, received.BytesInBuffer);
        string op = OpName(bytes);
        Reply reply;
        string target = string.Empty;
        if (size > config.MaxRequestSize)
        {
            // FRAME-4: never applied, not even in part; echo the header's opcode byte and id (FRAME-3: any opcode | 0x80).
            (Opcode opcode, uint id) = bytes.Length >= ProtocolLimits.RequestHeaderSize
                ? ((Opcode)bytes[1], BinaryPrimitives.ReadUInt32BigEndian(bytes[4..]))
                : (Opcode.None, 0u);
            reply = Reply.Failure(opcode, Status.TooLarge, id, $"request is {size} bytes; the maximum is {config.MaxRequestSize}");
        }
        else if (!RequestCodec.TryDecode(bytes, out Request? request, out RequestDecodeError? error))
        {
            // FRAME-6..8: nothing applied, connection stays open; FRAME-7 carries the highest version spoken.
            ReadOnlyMemory<byte> body = error!.Status == Status.UnsupportedVersion ? new[] { ProtocolLimits.Version } : ReadOnlyMemory<byte>.Empty;
            reply = new Reply(error.Opcode, error.Status, error.RequestId, error.Message, body);
        }
        else
        {
            target = request switch
            {
                ReplaceRequest r => r.Target,
                GetVersionRequest g => g.Target,
                _ => string.Empty,
            };
            reply = await processor.ProcessAsync(request!).ConfigureAwait(false);
        }

        audit.Request(peer, op, AuditText.Quote(target), size, reply.Status);
        return reply;
    }

    private async Task<bool> TrySendAsync(Reply reply)
    {
        byte[] datagram = ReplyCodec.Encode(reply);
        if (Interlocked.CompareExchange(ref _sendState, SendBusy, SendOpen) != SendOpen)
        {
            // LIFE-3: the shutdown abandoned this connection; its SHUTTING_DOWN is the last datagram.
            return false;
        }

        // A peer that never reads cannot hold the connection (and its task) forever.
        using var timeout = new CancellationTokenSource(config.Limits.IdleTimeout);
        try
        {
            int sent = await socket.SendAsync(datagram, SocketFlags.None, timeout.Token).ConfigureAwait(false);
            return sent == datagram.Length;
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

    private Task<bool> SendUnsolicitedAsync(Status status) =>
        TrySendAsync(Reply.Failure(Opcode.None, status, 0, string.Empty));

    /// <summary>The opcode as audit lines spell it: HELLO, REPLACE, GET_VERSION, NONE (header incomplete) or 0xNN.</summary>
    internal static string OpName(ReadOnlySpan<byte> datagram)
    {
        if (datagram.Length < ProtocolLimits.RequestHeaderSize)
        {
            return "NONE";
        }

        return (Opcode)datagram[1] switch
        {
            Opcode.Hello => "HELLO",
            Opcode.Replace => "REPLACE",
            Opcode.GetVersion => "GET_VERSION",
            _ => $"0x{datagram[1]:x2}",
        };
    }

    [LoggerMessage(EventId = 300, Level = LogLevel.Error, Message = "connection failed and was closed")]
    private static partial void LogConnectionFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 301, Level = LogLevel.Information, Message = "sending a reply failed; closing the connection: {Reason}")]
    private static partial void LogSendFailed(ILogger logger, string reason);
}
