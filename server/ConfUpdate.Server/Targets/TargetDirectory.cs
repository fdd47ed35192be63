using ConfUpdate.Native;

namespace ConfUpdate.Server.Targets;

/// <summary>
/// An open descriptor of a target's directory, reached from <c>/</c> one component at a time with
/// <c>O_DIRECTORY|O_NOFOLLOW</c> and checked (SPEC TGT-6). Every file operation of a request is relative
/// to it, so replacing the directory, or any directory above it, by a symbolic link cannot redirect a
/// write: the descriptor keeps naming the directory that was checked.
/// </summary>
internal sealed class TargetDirectory : IDisposable
{
    // Group- and other-writable bits (S_IWGRP | S_IWOTH): either lets someone else swap entries in the directory.
    private const int GroupOrOtherWritable = 0b000_010_010;
    private const uint RootUid = 0;

    private TargetDirectory(string path, int fd)
    {
        Path = path;
        Descriptor = fd;
    }

    /// <summary>The directory's path, for messages and for the validator's <c>{file}</c>.</summary>
    public string Path { get; }

    /// <summary>The open descriptor (<c>O_RDONLY|O_DIRECTORY</c>): what <c>openat</c>, <c>renameat</c> and <c>fsync</c> use.</summary>
    public int Descriptor { get; private set; }

    /// <summary>Opens and checks <paramref name="directory"/>, an absolute path.</summary>
    /// <param name="directory">The target's directory, as configured.</param>
    /// <param name="serverUid">The server's effective uid: the only owner besides root that TGT-6 trusts.</param>
    /// <exception cref="UnsafeTargetException">A component is a symbolic link or not a directory, or the directory fails the check.</exception>
    /// <exception cref="IOException">A component is missing or cannot be opened.</exception>
    public static TargetDirectory Open(string directory, uint serverUid)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        if (directory[0] != '/')
        {
            throw new IOException($"target directory {directory} is not an absolute path");
        }

        // Intermediate components only need to be searched: O_PATH asks for no read permission.
        int fd = Libc.Open("/", LinuxAbi.OPath | LinuxAbi.ODirectory | LinuxAbi.OCloexec, 0);
        if (fd < 0)
        {
            throw new IOException(Libc.Describe("open(/)", Libc.LastError));
        }

        string[] components = directory.Split('/', StringSplitOptions.RemoveEmptyEntries);
        string walked = string.Empty;
        try
        {
            for (int i = 0; i < components.Length; i++)
            {
                string component = components[i];
                walked += "/" + component;
                if (component is "." or "..")
                {
                    throw new UnsafeTargetException($"the target directory {directory} has a '{component}' component");
                }

                bool last = i == components.Length - 1;
                // The last one is opened for reading: fsync (DUR-1 step 6) refuses an O_PATH descriptor.
                int flags = (last ? LinuxAbi.ORdOnly : LinuxAbi.OPath) | LinuxAbi.ODirectory | LinuxAbi.ONoFollow | LinuxAbi.OCloexec;
                int next = Libc.OpenAt(fd, component, flags, 0);
                int errno = Libc.LastError;
                _ = Libc.Close(fd);
                fd = next;
                if (fd < 0)
                {
                    throw errno is Errno.ELoop or Errno.ENotDir
                        ? new UnsafeTargetException($"{walked} is a symbolic link or not a directory; the target's directory is not safe, nothing written")
                        : new IOException($"opening {walked} failed: {Libc.Describe("openat", errno)}");
                }
            }

            if (components.Length == 0)
            {
                // The target lives in "/" itself: reopen it readable for fsync.
                _ = Libc.Close(fd);
                fd = Libc.Open("/", LinuxAbi.ORdOnly | LinuxAbi.ODirectory | LinuxAbi.OCloexec, 0);
                if (fd < 0)
                {
                    throw new IOException(Libc.Describe("open(/)", Libc.LastError));
                }
            }

            Check(directory, FileStatus.OfDescriptor(fd), serverUid);
            var opened = new TargetDirectory(directory, fd);
            fd = -1;
            return opened;
        }
        finally
        {
            if (fd >= 0)
            {
                _ = Libc.Close(fd);
            }
        }
    }

    /// <summary>The path of an entry, as the validator sees it.</summary>
    public string PathOf(string name) => System.IO.Path.Combine(Path, name);

    /// <inheritdoc />
    public void Dispose()
    {
        if (Descriptor >= 0)
        {
            _ = Libc.Close(Descriptor);
            Descriptor = -1;
        }
    }

    private static void Check(string directory, FileStatus status, uint serverUid)
    {
        if (status.Uid != RootUid && status.Uid != serverUid)
        {
            throw new UnsafeTargetException($"the target directory {directory} is owned by uid {status.Uid}, not by root or the server's user");
        }

        if ((status.Permissions & GroupOrOtherWritable) != 0)
        {
            throw new UnsafeTargetException($"the target directory {directory} is writable by its group or by others (mode {Convert.ToString(status.Permissions, 8)})");
        }
    }
}
