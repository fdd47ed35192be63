using System.Net.Sockets;
using ConfUpdate.Protocol;

namespace ConfUpdate.Client;

/// <summary>One request, one reply: send, receive, verify (SPEC FRAME-1, FRAME-3, FRAME-9).</summary>
public sealed partial class ConfUpdateClient
{
    private async Task<Reply> ExchangeAsync(Func<uint, Request> createRequest, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
            if (_closedBecause is { } why)
            {
                throw new ConfUpdateConnectionException(ConfUpdateConnectionReason.Closed, Options.SocketPath,
                    $"This client's connection to {Options.SocketPath} is closed ({why}); expected a new client from ConnectAsync.");
            }

            // Encoding validates the target name: an ArgumentException here leaves the connection untouched.
            Request request = createRequest(NextRequestId());
            byte[] datagram = RequestCodec.Encode(request);
            cancellationToken.ThrowIfCancellationRequested();

            using var deadline = new RequestDeadline(Options.RequestTimeout, cancellationToken);
            try
            {
                await SendAsync(request, datagram, deadline.Token).ConfigureAwait(false);
                Reply reply = await ReceiveReplyAsync(request, deadline.Token).ConfigureAwait(false);
                return Verify(request, reply);
            }
            catch (ConfUpdateStatusException ex) when (!ex.IsUnsolicited && !StatusInfo.ClosesConnection(ex.Status))
            {
                // A refusal keeps message boundaries intact: the connection stays usable (SPEC STAT-1).
                throw;
            }
            catch (ConfUpdateConnectionException ex) when (ex.Reason == ConfUpdateConnectionReason.MessageTooLarge)
            {
                // EMSGSIZE: the kernel sent nothing, so the next request still gets the next reply.
                throw;
            }
            catch (OperationCanceledException ex) when (deadline.TimedOut)
            {
                Close($"no reply to request {request.RequestId} within {Seconds(Options.RequestTimeout)}");
                throw new ConfUpdateProtocolException(
                    $"No reply to {OpcodeNames.Of(request.Opcode)} request {request.RequestId} from {Options.SocketPath} within {Seconds(Options.RequestTimeout)}; expected one reply per request (SPEC FRAME-1).",
                    isTimeout: true, ex);
            }
            catch (OperationCanceledException ex) when (cancellationToken.IsCancellationRequested)
            {
                // The request may still be carried out and its reply would arrive in place of the next one.
                Close($"request {request.RequestId} was cancelled while in flight");
                throw new OperationCanceledException(
                    $"{OpcodeNames.Of(request.Opcode)} request {request.RequestId} was cancelled; the connection is closed because its reply may still arrive.",
                    ex, cancellationToken);
            }
            catch (Exception ex) when (Volatile.Read(ref _disposed) != 0)
            {
                throw new ObjectDisposedException($"The client was disposed while {OpcodeNames.Of(request.Opcode)} request {request.RequestId} was in flight.", ex);
            }
            catch (Exception ex)
            {
                Close(ex.Message);
                throw;
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    private uint NextRequestId()
    {
        // Ids increase; 0 is skipped on wrap-around because it marks unsolicited replies (SPEC FRAME-3).
        _lastRequestId = _lastRequestId == uint.MaxValue ? 1 : _lastRequestId + 1;
        return _lastRequestId;
    }

    private void Close(string reason)
    {
        _closedBecause ??= reason;
        _socket.Dispose();
    }

    private async Task SendAsync(Request request, byte[] datagram, CancellationToken cancellationToken)
    {
        try
        {
            // SOCK_SEQPACKET sends a datagram whole or not at all.
            await _socket.SendAsync(datagram, SocketFlags.None, cancellationToken).ConfigureAwait(false);
        }
        catch (SocketException ex) when (ex.SocketErrorCode == SocketError.MessageSize)
        {
            throw new ConfUpdateConnectionException(ConfUpdateConnectionReason.MessageTooLarge, Options.SocketPath,
                $"The {OpcodeNames.Of(request.Opcode)} request is {datagram.Length} bytes, more than the socket's send buffer ({_socket.SendBufferSize} bytes) can hold (EMSGSIZE); nothing was sent.",
                ex);
        }
        catch (SocketException ex) when (SocketErrors.IsClosedByPeer(ex))
        {
            // The server may have sent an unsolicited reply (FORBIDDEN, BUSY: SPEC AUTH-6, CONN-3)
            // and closed before our request arrived; that reply is still queued for us.
            Reply? leftover = await TryReceiveLeftoverAsync(cancellationToken).ConfigureAwait(false);
            if (leftover is { IsUnsolicited: true })
            {
                throw Unsolicited(leftover);
            }

            throw new ConfUpdateConnectionException(ConfUpdateConnectionReason.Closed, Options.SocketPath,
                $"The server at {Options.SocketPath} closed the connection before {OpcodeNames.Of(request.Opcode)} request {request.RequestId} could be sent ({ex.SocketErrorCode}); expected an open connection.",
                ex);
        }
        catch (SocketException ex)
        {
            throw new ConfUpdateConnectionException(ConfUpdateConnectionReason.Other, Options.SocketPath,
                $"Sending {OpcodeNames.Of(request.Opcode)} request {request.RequestId} to {Options.SocketPath} failed: {ex.SocketErrorCode} ({ex.Message}).",
                ex);
        }
    }

    private async Task<Reply> ReceiveReplyAsync(Request request, CancellationToken cancellationToken)
    {
        ReceivedDatagram received;
        try
        {
            received = await SeqPacket.ReceiveAsync(_socket, _replyBuffer, cancellationToken).ConfigureAwait(false);
        }
        catch (SocketException ex) when (SocketErrors.IsClosedByPeer(ex))
        {
            // ECONNRESET is reported once, ahead of the queue: the server closed with our request
            // unread, and a reply it sent before closing may still be queued behind the error.
            Reply? leftover = await TryReceiveLeftoverAsync(cancellationToken).ConfigureAwait(false);
            return leftover ?? throw new ConfUpdateConnectionException(ConfUpdateConnectionReason.Closed, Options.SocketPath,
                $"The server at {Options.SocketPath} reset the connection instead of replying to {OpcodeNames.Of(request.Opcode)} request {request.RequestId} ({ex.SocketErrorCode}): it closed with the request unread, so it did not carry it out.",
                ex);
        }
        catch (SocketException ex)
        {
            throw new ConfUpdateConnectionException(ConfUpdateConnectionReason.Other, Options.SocketPath,
                $"Receiving the reply to {OpcodeNames.Of(request.Opcode)} request {request.RequestId} failed: {ex.SocketErrorCode} ({ex.Message}).",
                requestMayHaveBeenApplied: true, ex);
        }

        if (received.IsEndOfStream)
        {
            // The server read the request (an unread one would have made this ECONNRESET) and then closed:
            // it may have carried it out.
            throw new ConfUpdateConnectionException(ConfUpdateConnectionReason.Closed, Options.SocketPath,
                $"The server at {Options.SocketPath} closed the connection instead of replying to {OpcodeNames.Of(request.Opcode)} request {request.RequestId} (end of stream); it may have carried the request out.",
                requestMayHaveBeenApplied: true);
        }

        if (received.IsTruncated)
        {
            throw new ConfUpdateProtocolException(
                $"The reply to {OpcodeNames.Of(request.Opcode)} request {request.RequestId} is {received.Length} bytes; a reply is at most {ProtocolLimits.MaxReplySize} bytes (SPEC FRAME-9).");
        }

        try
        {
            return ReplyCodec.Decode(_replyBuffer.AsSpan(0, received.Length));
        }
        catch (ProtocolException ex)
        {
            throw new ConfUpdateProtocolException(
                $"Malformed reply to {OpcodeNames.Of(request.Opcode)} request {request.RequestId}: {ex.Message}", innerException: ex);
        }
    }

    /// <summary>After the server closed: one datagram it left queued, or null (end of stream, garbage, another error).</summary>
    private async Task<Reply?> TryReceiveLeftoverAsync(CancellationToken cancellationToken)
    {
        // The peer is gone, so these receives return at once: a queued datagram, 0, or a pending error.
        // Two attempts: the first may only consume a pending ECONNRESET.
        for (int attempt = 0; attempt < 2; attempt++)
        {
            try
            {
                ReceivedDatagram received = await SeqPacket.ReceiveAsync(_socket, _replyBuffer, cancellationToken).ConfigureAwait(false);
                if (received.IsEndOfStream || received.IsTruncated)
                {
                    return null;
                }

                return ReplyCodec.Decode(_replyBuffer.AsSpan(0, received.Length));
            }
            catch (SocketException ex) when (ex.SocketErrorCode == SocketError.ConnectionReset)
            {
            }
            catch (Exception ex) when (ex is SocketException or ProtocolException)
            {
                return null;
            }
        }

        return null;
    }

    private Reply Verify(Request request, Reply reply)
    {
        // FORBIDDEN, BUSY and SHUTTING_DOWN may stand in place of any reply (SPEC AUTH-6, CONN-3, LIFE-1).
        if (reply.IsUnsolicited)
        {
            throw Unsolicited(reply);
        }

        if (reply.Opcode != request.Opcode || reply.RequestId != request.RequestId)
        {
            throw new ConfUpdateProtocolException(
                $"Expected the reply to {OpcodeNames.Of(request.Opcode)} request {request.RequestId}; got a reply for {OpcodeNames.Of(reply.Opcode)} request {reply.RequestId} with status {StatusInfo.WireName(reply.Status)} (SPEC FRAME-1).");
        }

        if (reply.Status != Status.Ok)
        {
            throw new ConfUpdateStatusException(reply.Status, reply.Detail, reply.Opcode, isUnsolicited: false);
        }

        return reply;
    }

    private ConfUpdateStatusException Unsolicited(Reply reply)
    {
        Close($"the server sent {StatusInfo.WireName(reply.Status)} and closed it");
        return new ConfUpdateStatusException(reply.Status, reply.Detail, Opcode.None, isUnsolicited: true);
    }

    private T DecodeBody<T>(Reply reply, BodyDecoder<T> decode)
    {
        try
        {
            return decode(reply.Body.Span);
        }
        catch (ProtocolException ex)
        {
            Close(ex.Message);
            throw new ConfUpdateProtocolException(
                $"Malformed OK reply to {OpcodeNames.Of(reply.Opcode)} request {reply.RequestId}: {ex.Message}", innerException: ex);
        }
    }
}
