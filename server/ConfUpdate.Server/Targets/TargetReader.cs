using System.Security.Cryptography;
using ConfUpdate.Native;
using ConfUpdate.Protocol;
using Microsoft.Win32.SafeHandles;

namespace ConfUpdate.Server.Targets;

/// <summary>
/// Reads a target's version (SPEC OP-3) without following symbolic links (SPEC TGT-5, TGT-6): the
/// entry is examined with <c>fstatat(AT_SYMLINK_NOFOLLOW)</c> in its checked directory, opened with
/// <c>openat(O_NOFOLLOW|O_NONBLOCK)</c> (a FIFO must not block us), and the open descriptor must be a
/// regular file.
/// </summary>
internal static class TargetReader
{
    private const int ChunkSize = 64 * 1024;

    /// <summary>The target's existence, size and SHA-256.</summary>
    /// <exception cref="UnsafeTargetException">The path is a symbolic link or not a regular file.</exception>
    /// <exception cref="IOException">The file could not be read.</exception>
    public static TargetVersion ReadVersion(TargetDirectory directory, string name)
    {
        ArgumentNullException.ThrowIfNull(directory);
        string path = directory.PathOf(name);
        FileStatus before = FileStatus.OfEntryNoFollow(directory.Descriptor, name);
        if (before.Kind == FileKind.Missing)
        {
            return TargetVersion.Absent;
        }

        EnsureRegular(path, before.Kind);
        int fd = Libc.OpenAt(directory.Descriptor, name, LinuxAbi.ORdOnly | LinuxAbi.ONoFollow | LinuxAbi.ONonBlock | LinuxAbi.OCloexec, 0);
        if (fd < 0)
        {
            int errno = Libc.LastError;
            if (errno == Errno.ENoEnt)
            {
                // Replaced between lstat and open by a rename to nothing: the file is absent now.
                return TargetVersion.Absent;
            }

            // ELOOP here means a symbolic link appeared after lstat.
            throw new IOException($"{Libc.Describe("open", errno)} for {path}");
        }

        using var handle = new SafeFileHandle(fd, ownsHandle: true);
        EnsureRegular(path, FileStatus.OfDescriptor(fd).Kind);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        byte[] buffer = new byte[ChunkSize];
        long offset = 0;
        int read;
        while ((read = RandomAccess.Read(handle, buffer, offset)) > 0)
        {
            hash.AppendData(buffer, 0, read);
            offset += read;
        }

        return new TargetVersion(true, (ulong)offset, ContentVersion.FromBytes(hash.GetHashAndReset()));
    }

    /// <summary>Throws <see cref="UnsafeTargetException"/> unless the kind is a regular file (or missing).</summary>
    public static void EnsureRegular(string path, FileKind kind)
    {
        if (kind is not (FileKind.Regular or FileKind.Missing))
        {
            throw new UnsafeTargetException($"the target path is {FileStatus.Describe(kind)}, not a regular file; left untouched");
        }
    }
}
