namespace ConfUpdate.Server.Native;

/// <summary>What kind of file a path or descriptor names (the <c>S_IFMT</c> bits).</summary>
internal enum FileKind
{
    /// <summary>Nothing exists at the path.</summary>
    Missing,

    /// <summary>A regular file.</summary>
    Regular,

    /// <summary>A directory.</summary>
    Directory,

    /// <summary>A symbolic link (only seen when links are not followed).</summary>
    SymbolicLink,

    /// <summary>A socket.</summary>
    Socket,

    /// <summary>A FIFO (named pipe).</summary>
    Fifo,

    /// <summary>A character device.</summary>
    CharacterDevice,

    /// <summary>A block device.</summary>
    BlockDevice,

    /// <summary>Some other type.</summary>
    Other,
}

/// <summary>
/// The part of <c>struct statx</c> the server needs. <c>statx</c> is used rather than <c>lstat</c>
/// because its buffer layout is the same on every architecture (struct stat is not), so one
/// P/Invoke reads it correctly on x86-64 and ARM64 alike.
/// </summary>
/// <param name="Kind">File type from <c>stx_mode</c>.</param>
/// <param name="Size">Size in bytes.</param>
/// <param name="DeviceMajor">Major number of the device holding the file.</param>
/// <param name="DeviceMinor">Minor number of the device holding the file.</param>
/// <param name="Inode">Inode number.</param>
/// <param name="OwnerUid">Owner's uid.</param>
/// <param name="Permissions">The permission bits of <c>stx_mode</c> (07777).</param>
internal readonly record struct FileStatus(FileKind Kind, ulong Size, uint DeviceMajor, uint DeviceMinor, ulong Inode, uint OwnerUid = 0, int Permissions = 0)
{
    // struct statx offsets (include/uapi/linux/stat.h): stx_mode u16 @28, stx_ino u64 @32,
    // stx_size u64 @40, stx_dev_major u32 @136, stx_dev_minor u32 @140; the struct is 256 bytes.
    private const int StatxSize = 256;
    private const int UidOffset = 20;
    private const int ModeOffset = 28;
    private const int PermissionMask = 0xFFF;
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

    /// <summary>A missing file.</summary>
    public static FileStatus Missing { get; } = new(FileKind.Missing, 0, 0, 0, 0);

    /// <summary>Whether two statuses name the same file (device and inode).</summary>
    public bool IsSameFile(FileStatus other) =>
        Kind != FileKind.Missing && DeviceMajor == other.DeviceMajor && DeviceMinor == other.DeviceMinor && Inode == other.Inode;

    /// <summary>
    /// <c>lstat</c> semantics: examines the path itself, never following a final symbolic link.
    /// Returns <see cref="Missing"/> when nothing is there.
    /// </summary>
    /// <exception cref="IOException">statx failed for another reason than ENOENT.</exception>
    public static FileStatus OfPathNoFollow(string path)
    {
        var buffer = new byte[StatxSize];
        if (Libc.Statx(LinuxAbi.AtFdCwd, path, LinuxAbi.AtSymlinkNoFollow, LinuxAbi.StatxBasicStats, buffer) != 0)
        {
            int errno = Libc.LastError;
            if (errno == LinuxAbi.ENoEnt)
            {
                return Missing;
            }

            throw new IOException($"{Libc.Describe("statx", errno)} for {path}");
        }

        return Decode(buffer);
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
            if (errno == LinuxAbi.ENoEnt)
            {
                return Missing;
            }

            throw new IOException($"{Libc.Describe("statx", errno)} for {name}");
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
        // The struct is in host byte order.
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
            BitConverter.ToUInt64(buffer, SizeOffset),
            BitConverter.ToUInt32(buffer, DevMajorOffset),
            BitConverter.ToUInt32(buffer, DevMinorOffset),
            BitConverter.ToUInt64(buffer, InodeOffset),
            BitConverter.ToUInt32(buffer, UidOffset),
            mode & PermissionMask);
    }
}
