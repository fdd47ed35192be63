using System.Net.Sockets;

namespace ConfUpdate.Server.Connections;

/// <summary>
/// Receives a request datagram without a buffer held per connection. An idle connection waits with a
/// one-byte <c>MSG_PEEK | MSG_TRUNC</c> receive, which leaves the datagram queued and (under
/// <c>MSG_TRUNC</c>) returns its real length; only then is a buffer of that size rented and the datagram
/// taken. The previous design kept an M + 1 byte array (64 KiB + 1 by default) per connection for its
/// whole life: 55-72 KB of resident memory per idle connection (issue 10).
/// <para>
/// The server runs socket continuations inline on the socket engine's thread
/// (<see cref="Hosting.SocketEngine"/>), so the connection loop must not block: file-system work is sent
/// to the thread pool, and a peer whose requests keep arriving faster than they are answered is made to
/// yield after <see cref="MaxInlineRun"/>.
/// </para>
/// </summary>
internal static class PooledReceive
{
    /// <summary>
    /// How long a connection whose requests are always already queued may keep serving them back to back
    /// on the socket engine's thread before it yields that thread (a count would also yield in a plain
    /// ping-pong on one CPU, where the next request is often queued before the server looks).
    /// </summary>
    public static readonly TimeSpan MaxInlineRun = TimeSpan.FromMilliseconds(2);

    // The byte a peek copies into is never read (MSG_PEEK leaves the datagram queued), so every
    // connection can share one. It must be one byte, not zero: .NET completes a zero-byte receive
    // without passing the flags to recvmsg, so it cannot report the length.
    private static readonly byte[] s_peekByte = new byte[1];

    /// <summary>
    /// Completes when a datagram is queued, with its real length; 0 at end of stream or for a zero-length
    /// datagram, which SOCK_SEQPACKET cannot tell apart (SPEC FRAME-5).
    /// </summary>
    public static ValueTask<int> WaitAsync(Socket socket, CancellationToken cancellationToken) =>
        socket.ReceiveAsync(s_peekByte, SocketFlags.Peek | SocketFlags.Truncated, cancellationToken);

    /// <summary>
    /// Takes the queued datagram into <paramref name="buffer"/> and returns its real length (<c>MSG_TRUNC</c>,
    /// SPEC FRAME-4): larger than the buffer when the datagram was, and then only its head was kept.
    /// </summary>
    public static int Take(Socket socket, Span<byte> buffer) => socket.Receive(buffer, SocketFlags.Truncated);
}
