using System.Net.Sockets;
using System.Text;

namespace ConfUpdate.Server.Hosting;

/// <summary>
/// <c>sd_notify("READY=1")</c> once the socket listens (SPEC PROF-2): one datagram to the AF_UNIX
/// socket named by <c>NOTIFY_SOCKET</c> (a path, or <c>@name</c> in the abstract namespace). Works
/// whether or not systemd started us, so a test kit can use it too.
/// </summary>
internal static class ReadinessNotifier
{
    /// <summary>Sends READY=1; returns false with the reason when NOTIFY_SOCKET is set but unreachable, true otherwise.</summary>
    public static bool TryNotifyReady(out string problem)
    {
        problem = string.Empty;
        string? target = Environment.GetEnvironmentVariable("NOTIFY_SOCKET");
        if (string.IsNullOrEmpty(target))
        {
            return true;
        }

        // sd_notify(3): a leading '@' names an abstract socket, written with a leading NUL.
        string address = target[0] == '@' ? "\0" + target[1..] : target;
        try
        {
            using var socket = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
            socket.SendTo(Encoding.ASCII.GetBytes("READY=1"), new UnixDomainSocketEndPoint(address));
            return true;
        }
        catch (Exception ex) when (ex is SocketException or ArgumentException)
        {
            problem = $"NOTIFY_SOCKET={target}: {ex.Message}";
            return false;
        }
    }
}
