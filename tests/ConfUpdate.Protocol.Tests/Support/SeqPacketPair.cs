using System.Net.Sockets;

namespace ConfUpdate.Protocol.Tests.Support;

/// <summary>
/// A real, connected AF_UNIX SOCK_SEQPACKET pair: a listener bound in a test's temp directory, a client
/// connected with <see cref="SeqPacket.ConnectAsync"/> and the server end returned by accept.
/// </summary>
internal sealed class SeqPacketPair : IDisposable
{
    private SeqPacketPair(Socket listener, Socket client, Socket server)
    {
        Listener = listener;
        Client = client;
        Server = server;
    }

    public Socket Listener { get; }

    public Socket Client { get; }

    public Socket Server { get; }

    /// <summary>Binds <paramref name="socketPath"/>, listens, connects and accepts.</summary>
    public static async Task<SeqPacketPair> OpenAsync(string socketPath, CancellationToken cancellationToken)
    {
        Socket listener = Listen(socketPath);
        Socket? client = null;
        try
        {
            client = await SeqPacket.ConnectAsync(socketPath, cancellationToken);
            Socket server = await listener.AcceptAsync(cancellationToken);
            return new SeqPacketPair(listener, client, server);
        }
        catch
        {
            client?.Dispose();
            listener.Dispose();
            throw;
        }
    }

    /// <summary>A listening SOCK_SEQPACKET socket bound to <paramref name="socketPath"/>.</summary>
    public static Socket Listen(string socketPath)
    {
        Socket listener = SeqPacket.Create();
        try
        {
            listener.Bind(new UnixDomainSocketEndPoint(socketPath));
            listener.Listen(8);
            return listener;
        }
        catch
        {
            listener.Dispose();
            throw;
        }
    }

    public void Dispose()
    {
        Server.Dispose();
        Client.Dispose();
        Listener.Dispose();
    }
}
