using System.Net.Sockets;
using ConfUpdate.Native;
using ConfUpdate.Protocol;
using ConfUpdate.Server.Configuration;

namespace ConfUpdate.Server.Hosting;

/// <summary>
/// The listening socket: either created here (SPEC TRANS-2, TRANS-3) or adopted from systemd
/// (TRANS-5). Only a socket file we created ourselves, and that is still the same file (device and
/// inode), is removed at the end (LIFE-1). .NET creates sockets with <c>SOCK_CLOEXEC</c> and accepts
/// with <c>accept4(SOCK_CLOEXEC)</c>, so the listener and every connection are close-on-exec (TRANS-4);
/// an adopted descriptor is marked explicitly.
/// </summary>
internal sealed class ServerListener : IDisposable
{
    private const int Backlog = 128;
    private readonly string? _createdPath;
    private readonly FileStatus _createdFile;
    private int _closed;
    private int _unlinked;

    private ServerListener(Socket socket, string description, string? createdPath, FileStatus createdFile)
    {
        Socket = socket;
        Description = description;
        _createdPath = createdPath;
        _createdFile = createdFile;
    }

    /// <summary>The listening socket.</summary>
    public Socket Socket { get; }

    /// <summary>The path (or "fd 3") for logs.</summary>
    public string Description { get; }

    /// <summary>Whether the socket came from the activator (systemd) rather than from us.</summary>
    public bool IsAdopted => _createdPath is null;

    /// <summary>Adopts fd 3 when socket activation applies to this process, else creates the socket.</summary>
    /// <exception cref="ConfigException">The path is held by a live server or by something that is not a socket, or the inherited descriptor is not a listening SOCK_SEQPACKET socket.</exception>
    public static ServerListener Open(SocketConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        return SocketActivation.TryAdopt() is { } adopted
            ? new ServerListener(adopted, DescribeAdopted(adopted), null, FileStatus.Missing)
            : Create(config);
    }

    /// <summary>Stops accepting: closes the listening socket (the file stays until <see cref="Dispose"/>).</summary>
    public void StopAccepting()
    {
        if (Interlocked.Exchange(ref _closed, 1) == 0)
        {
            Socket.Dispose();
        }
    }

    /// <summary>Closes the socket and removes its file if we created it and it is still ours (LIFE-1).</summary>
    public void Dispose()
    {
        StopAccepting();
        if (_createdPath is null || Interlocked.Exchange(ref _unlinked, 1) != 0)
        {
            return;
        }

        try
        {
            FileStatus now = FileStatus.OfPathNoFollow(_createdPath);
            if (now.Kind == FileKind.Socket && now.IsSameFile(_createdFile))
            {
                _ = Libc.Unlink(_createdPath);
            }
        }
        catch (IOException)
        {
            // Best effort at exit: a socket left behind is a stale socket for the next start (TRANS-3 case 1).
        }
    }

    private static ServerListener Create(SocketConfig config)
    {
        string path = config.Path;
        const string Key = "ConfUpdate:Socket:Path";
        ClearStaleSocket(path, Key);

        Socket socket = SeqPacket.Create();
        try
        {
            try
            {
                socket.Bind(new UnixDomainSocketEndPoint(path));
            }
            catch (SocketException ex)
            {
                throw new ConfigException(Key, path, $"bind failed: {ex.Message}", ex);
            }

            // TRANS-2: set owner, group and exact mode between bind() and listen(): nobody can connect yet.
            FileStatus created = FileStatus.OfPathNoFollow(path);
            if (created.Kind != FileKind.Socket)
            {
                throw new ConfigException(Key, path, $"after bind() the path is {FileStatus.Describe(created.Kind)}, not our socket");
            }

            // lchown: never follow a link that someone swapped in.
            if (Libc.LChown(path, config.Owner, config.Group) != 0)
            {
                throw new ConfigException("ConfUpdate:Socket:Owner", config.Owner.ToString(System.Globalization.CultureInfo.InvariantCulture), Libc.Describe("lchown", Libc.LastError));
            }

            // chmod(2) is exact: the umask applied at bind() does not apply here.
            if (Libc.Chmod(path, (uint)config.Mode) != 0)
            {
                throw new ConfigException("ConfUpdate:Socket:Mode", FileModeParser.Format(config.Mode), Libc.Describe("chmod", Libc.LastError));
            }
            socket.Listen(Backlog);
            return new ServerListener(socket, path, path, created);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>
    /// TRANS-3: examine what is at the path without following links. A socket nobody listens on is a
    /// stale one and is removed; a live socket or anything else stops the start, untouched.
    /// </summary>
    private static void ClearStaleSocket(string path, string key)
    {
        FileStatus existing;
        try
        {
            existing = FileStatus.OfPathNoFollow(path);
        }
        catch (IOException ex)
        {
            throw new ConfigException(key, path, $"cannot examine the socket path: {ex.Message}", ex);
        }

        switch (existing.Kind)
        {
            case FileKind.Missing:
                return;
            case FileKind.Socket:
                break;
            default:
                throw new ConfigException(key, path, $"the path holds {FileStatus.Describe(existing.Kind)}, not a socket; refusing to start and leaving it untouched");
        }

        using (Socket probe = SeqPacket.Create())
        {
            try
            {
                probe.Connect(new UnixDomainSocketEndPoint(path));
            }
            catch (SocketException ex) when (ex.SocketErrorCode == SocketError.ConnectionRefused || ex.ErrorCode == Errno.EConnRefused)
            {
                // Stale: nobody listens. Remove only if it is still the socket we examined.
                if (FileStatus.OfPathNoFollow(path).IsSameFile(existing) && Libc.Unlink(path) != 0)
                {
                    throw new ConfigException(key, path, $"cannot remove the stale socket: {Libc.Describe("unlink", Libc.LastError)}");
                }

                return;
            }
            catch (SocketException ex)
            {
                // EPROTOTYPE: a live listener of another socket type; EACCES etc.: not ours to judge.
                throw new ConfigException(key, path, $"a socket exists there and connecting to it failed with {ex.SocketErrorCode} ({ex.Message}); refusing to start and leaving it untouched", ex);
            }
        }

        throw new ConfigException(key, path, "another server is listening on this socket; refusing to start and leaving it untouched");
    }

    private static string DescribeAdopted(Socket socket)
    {
        try
        {
            return socket.LocalEndPoint?.ToString() is { Length: > 0 } local
                ? $"{local} (fd {LinuxAbi.ListenFdsStart}, socket activation)"
                : $"fd {LinuxAbi.ListenFdsStart} (socket activation)";
        }
        catch (SocketException)
        {
            return $"fd {LinuxAbi.ListenFdsStart} (socket activation)";
        }
    }
}
