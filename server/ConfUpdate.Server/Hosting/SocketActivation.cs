using System.Globalization;
using System.Net.Sockets;
using ConfUpdate.Native;
using ConfUpdate.Server.Configuration;

namespace ConfUpdate.Server.Hosting;

/// <summary>
/// systemd socket activation (SPEC TRANS-5, <c>sd_listen_fds(3)</c>): when <c>LISTEN_PID</c> is our pid
/// and <c>LISTEN_FDS</c> is 1, fd 3 is our listener, after checking that it is an AF_UNIX
/// SOCK_SEQPACKET socket in listening state. The variables are unset so a validator does not see them.
/// </summary>
internal static class SocketActivation
{
    private static readonly string[] s_variables = ["LISTEN_PID", "LISTEN_FDS", "LISTEN_FDNAMES"];

    /// <summary>The inherited listener, or null when this process was not socket-activated.</summary>
    /// <exception cref="ConfigException">Activation applies but the descriptor is not what we need.</exception>
    public static Socket? TryAdopt()
    {
        string? pid = Environment.GetEnvironmentVariable("LISTEN_PID");
        string? fds = Environment.GetEnvironmentVariable("LISTEN_FDS");
        if (pid is null || fds is null || pid != Environment.ProcessId.ToString(CultureInfo.InvariantCulture))
        {
            // Not for us (e.g. inherited from a parent that was activated).
            return null;
        }

        foreach (string name in s_variables)
        {
            Environment.SetEnvironmentVariable(name, null);
            _ = Libc.UnsetEnv(name);
        }

        if (fds != "1")
        {
            throw new ConfigException("LISTEN_FDS", fds, "socket activation must pass exactly one socket");
        }

        const int Fd = LinuxAbi.ListenFdsStart;
        Expect(Fd, LinuxAbi.SoDomain, LinuxAbi.AfUnix, "SO_DOMAIN", "AF_UNIX");
        Expect(Fd, LinuxAbi.SoType, LinuxAbi.SockSeqPacket, "SO_TYPE", "SOCK_SEQPACKET");
        Expect(Fd, LinuxAbi.SoAcceptConn, 1, "SO_ACCEPTCONN", "a listening socket");
        if (Libc.Fcntl(Fd, LinuxAbi.FSetFd, LinuxAbi.FdCloexec) != 0)
        {
            throw new ConfigException("LISTEN_FDS", fds, $"cannot mark fd {Fd} close-on-exec: {Libc.Describe("fcntl", Libc.LastError)}");
        }

        return new Socket(new SafeSocketHandle(Fd, ownsHandle: true));
    }

    private static void Expect(int fd, int option, int expected, string optionName, string what)
    {
        int value = 0;
        uint length = sizeof(int);
        if (Libc.GetSockOpt(fd, LinuxAbi.SolSocket, option, ref value, ref length) != 0)
        {
            throw new ConfigException("LISTEN_FDS", "1", $"fd {fd} is not a usable socket: {Libc.Describe($"getsockopt({optionName})", Libc.LastError)}");
        }

        if (value != expected)
        {
            throw new ConfigException("LISTEN_FDS", "1", $"fd {fd} has {optionName} = {value}; expected {expected} ({what})");
        }
    }
}
