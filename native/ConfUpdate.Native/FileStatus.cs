namespace ConfUpdate.Native;

/// <summary>
/// The part of <c>struct statx</c> the solution reads. <c>statx</c> is used rather than <c>lstat</c> because
/// its buffer layout is the same on every architecture (<c>struct stat</c> is not), so one P/Invoke with fixed
/// offsets reads it correctly on x86-64 and ARM64 alike; and .NET has no API for a file's owner.
/// </summary>
/// <param name="Kind">File type from <c>stx_mode</c>.</param>
/// <param name="Permissions">The low twelve bits of <c>stx_mode</c> (permissions, setuid, setgid, sticky).</param>
/// <param name="Uid">Owner uid.</param>
/// <param name="Gid">Group gid.</param>
/// <param name="Size">Size in bytes.</param>
/// <param name="DeviceMajor">Major number of the device holding the file.</param>
/// <param name="DeviceMinor">Minor number of the device holding the file.</param>
/// <param name="Inode">Inode number.</param>
public readonly record struct FileStatus(
    FileKind Kind, int Permissions, uint Uid, uint Gid, ulong Size, uint DeviceMajor, uint DeviceMinor, ulong Inode)
{
    // struct statx offsets (include/uapi/linux/stat.h): stx_uid u32 @20, stx_gid u32 @24, stx_mode u16 @28,
    // stx_ino u64 @32, stx_size u64 @40, stx_dev_major u32 @136, stx_dev_minor u32 @140; 256 bytes in all.
    private const int StatxSize = 256;
    private const int UidOffset = 20;
    private const int GidOffset = 24;
    private const int ModeOffset = 28;
    private const int InodeOffset = 32;
    private const int SizeOffset = 40;
    private const int DevMajorOffset = 136;
    private const int DevMinorOffset = 140;

    // S_IFMT and its values (octal 0170000 etc.), the same on every Linux architecture.
    private const int TypeMask = 0xF000;
    private const int TypeSocket = 0xC000;
    private const int TypeLink = 0xA000;
    private const int TypeRegular = 0x8000;
    private const int TypeBlock = 0x6000;
    private const int TypeDirectory = 0x4000;
    private const int TypeCharacter = 0x2000;
    private const int TypeFifo = 0x1000;
    private const int PermissionMask = 0xFFF;

    /// <summary>A missing file.</summary>
    public static FileStatus Missing { get; } = new(FileKind.Missing, 0, 0, 0, 0, 0, 0, 0);

    /// <summary>Whether two statuses name the same file (device and inode).</summary>
    public bool IsSameFile(FileStatus other) =>
        Kind != FileKind.Missing && DeviceMajor == other.DeviceMajor && DeviceMinor == other.DeviceMinor && Inode == other.Inode;

    /// <summary>
    /// <c>lstat</c> semantics: examines the path itself, never following a final symbolic link.
    /// Returns <see cref="Missing"/> when nothing is there.
    /// </summary>
    /// <exception cref="IOException">statx failed for another reason than ENOENT.</exception>
    public static FileStatus OfPathNoFollow(string path) =>
        TryOfPathNoFollow(path, out FileStatus status, out int errno) ? status
        : errno == Errno.ENoEnt ? Missing
        : throw new IOException($"{Libc.Describe("statx", errno)} for {path}");

    /// <summary><c>lstat</c> semantics without exceptions: false with the errno when statx fails.</summary>
    public static bool TryOfPathNoFollow(string path, out FileStatus status, out int errno)
    {
        var buffer = new byte[StatxSize];
        if (Libc.Statx(LinuxAbi.AtFdCwd, path, LinuxAbi.AtSymlinkNoFollow, LinuxAbi.StatxBasicStats, buffer) != 0)
        {
            errno = Libc.LastError;
            status = Missing;
            return false;
        }

        errno = 0;
        status = Decode(buffer);
        return true;
    }

    /// <summary>
    /// <c>fstatat(dirFd, name, AT_SYMLINK_NOFOLLOW)</c>: examines an entry of an open directory, never
    /// following a symbolic link. Returns <see cref="Missing"/> when nothing is there.
    /// </summary>
    /// <exception cref="IOException">statx failed for another reason than ENOENT.</exception>
    public static FileStatus OfEntryNoFollow(int dirFd, string name)
    {
        var buffer = new byte[StatxSize];
        if (Libc.Statx(dirFd, name, LinuxAbi.AtSymlinkNoFollow, LinuxAbi.StatxBasicStats, buffer) != 0)
        {
            int errno = Libc.LastError;
            return errno == Errno.ENoEnt ? Missing : throw new IOException($"{Libc.Describe("statx", errno)} for {name}");
        }

        return Decode(buffer);
    }

    /// <summary><c>fstat</c> semantics: examines an open descriptor.</summary>
    /// <exception cref="IOException">statx failed.</exception>
    public static FileStatus OfDescriptor(int fd)
    {
        var buffer = new byte[StatxSize];
        if (Libc.Statx(fd, string.Empty, LinuxAbi.AtEmptyPath, LinuxAbi.StatxBasicStats, buffer) != 0)
        {
            throw new IOException(Libc.Describe("statx(fd)", Libc.LastError));
        }

        return Decode(buffer);
    }

    /// <summary>How the type reads in messages: "a regular file", "a symbolic link", ...</summary>
    public static string Describe(FileKind kind) => kind switch
    {
        FileKind.Missing => "nothing",
        FileKind.Regular => "a regular file",
        FileKind.Directory => "a directory",
        FileKind.SymbolicLink => "a symbolic link",
        FileKind.Socket => "a socket",
        FileKind.Fifo => "a FIFO",
        FileKind.CharacterDevice => "a character device",
        FileKind.BlockDevice => "a block device",
        _ => "a file of unknown type",
    };

    private static FileStatus Decode(byte[] buffer)
    {
        // The kernel fills the struct in host byte order.
        int mode = BitConverter.ToUInt16(buffer, ModeOffset);
        FileKind kind = (mode & TypeMask) switch
        {
            TypeSocket => FileKind.Socket,
            TypeLink => FileKind.SymbolicLink,
            TypeRegular => FileKind.Regular,
            TypeBlock => FileKind.BlockDevice,
            TypeDirectory => FileKind.Directory,
            TypeCharacter => FileKind.CharacterDevice,
            TypeFifo => FileKind.Fifo,
            _ => FileKind.Other,
        };
        return new FileStatus(
            kind,
            mode & PermissionMask,
            BitConverter.ToUInt32(buffer, UidOffset),
            BitConverter.ToUInt32(buffer, GidOffset),
            BitConverter.ToUInt64(buffer, SizeOffset),
            BitConverter.ToUInt32(buffer, DevMajorOffset),
            BitConverter.ToUInt32(buffer, DevMinorOffset),
            BitConverter.ToUInt64(buffer, InodeOffset));
    }
}
