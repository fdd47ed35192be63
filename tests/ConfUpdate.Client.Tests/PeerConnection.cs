using System.Net.Sockets;
using ConfUpdate.Protocol;

namespace ConfUpdate.Client.Tests;

/// <summary>The server end of one accepted connection, driven by a test script.</summary>
internal sealed class PeerConnection : IDisposable
{
    private readonly Socket _socket;

    public PeerConnection(Socket socket) => _socket = socket;

    /// <summary>Receives one datagram (up to 1 MiB); an empty array means end of stream.</summary>
    public async Task<byte[]> ReceiveRawAsync(CancellationToken cancellationToken)
    {
        var buffer = new byte[1 << 20];
        ReceivedDatagram received = await SeqPacket.ReceiveAsync(_socket, buffer, cancellationToken);
        return buffer[..received.BytesInBuffer];
    }

    /// <summary>Receives and decodes one request; fails the script if it is not a valid one.</summary>
    public async Task<Request> ReceiveRequestAsync(CancellationToken cancellationToken)
    {
        byte[] datagram = await ReceiveRawAsync(cancellationToken);
        if (datagram.Length == 0)
        {
            throw new InvalidOperationException("Expected a request; the client closed the connection.");
        }

        if (!RequestCodec.TryDecode(datagram, out Request? request, out RequestDecodeError? error))
        {
            throw new InvalidOperationException($"Expected a valid request; {error!.Message}");
        }

        return request!;
    }

    /// <summary>Waits until the client has queued a datagram, without reading it.</summary>
    public async Task WaitUntilReadableAsync(CancellationToken cancellationToken)
    {
        while (!_socket.Poll(TimeSpan.FromMilliseconds(10), SelectMode.SelectRead))
        {
            await Task.Yield();
            cancellationToken.ThrowIfCancellationRequested();
        }
    }

    public Task SendAsync(Reply reply, CancellationToken cancellationToken) => SendRawAsync(ReplyCodec.Encode(reply), cancellationToken);

    public async Task SendRawAsync(byte[] datagram, CancellationToken cancellationToken) =>
        await _socket.SendAsync(datagram, SocketFlags.None, cancellationToken);

    public static Reply Ok(Request request, byte[] body) => new(request.Opcode, Status.Ok, request.RequestId, "", body);

    public static Reply Refuse(Request request, Status status, string detail) => Reply.Failure(request.Opcode, status, request.RequestId, detail);

    public static Reply Unsolicited(Status status) => Reply.Failure(Opcode.None, status, 0, "");

    public void Dispose() => _socket.Dispose();
}
