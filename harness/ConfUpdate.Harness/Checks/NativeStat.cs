using System.Runtime.InteropServices;
using ConfUpdate.Harness.Environment;

namespace ConfUpdate.Harness.Checks;

/// <summary>
/// statx(2) and the name lookups <c>stat -c %U/%G</c> did, in process: a check used to start one <c>stat</c>
/// process per call (about 130 per run, roughly a CPU-second on 2 cores). <c>struct statx</c> has one
/// layout on every Linux architecture, unlike <c>struct stat</c>, so fixed offsets are safe.
/// </summary>
internal static class NativeStat
{
    /// <summary><c>AT_FDCWD</c>: a relative path is taken from the working directory (paths here are absolute).</summary>
    private const int AtFdCwd = -100;

    /// <summary><c>AT_SYMLINK_NOFOLLOW</c>: report a symbolic link itself, as lstat(2) does.</summary>
    private const int AtSymlinkNoFollow = 0x100;

    /// <summary><c>STATX_TYPE | STATX_MODE | STATX_UID | STATX_GID | STATX_SIZE</c>.</summary>
    private const uint StatxWanted = 0x1 | 0x2 | 0x8 | 0x10 | 0x200;

    /// <summary><c>sizeof(struct statx)</c>: 256 bytes, fixed by the kernel ABI.</summary>
    private const int StatxSize = 256;

    // Field offsets in struct statx (include/uapi/linux/stat.h).
    private const int UidOffset = 20;
    private const int GidOffset = 24;
    private const int ModeOffset = 28;
    private const int SizeOffset = 40;

    // File type bits of st_mode (S_IFMT and its values).
    private const int SIfMt = 0xF000;
    private const int SIfSock = 0xC000;
    private const int SIfLnk = 0xA000;
    private const int SIfReg = 0x8000;
    private const int SIfBlk = 0x6000;
    private const int SIfDir = 0x4000;
    private const int SIfChr = 0x2000;
    private const int SIfIfo = 0x1000;

    [DllImport("libc", EntryPoint = "statx", SetLastError = true, CharSet = CharSet.Ansi, BestFitMapping = false, ThrowOnUnmappableChar = true)]
    private static extern int Statx(int dirfd, string path, int flags, uint mask, byte[] buffer);

    /// <summary>lstat-like facts of <paramref name="path"/>; null when statx fails (nothing there, no access...).</summary>
    public static FileStatus? Lstat(string path)
    {
        byte[] buffer = new byte[StatxSize];
        if (Statx(AtFdCwd, path, AtSymlinkNoFollow, StatxWanted, buffer) != 0)
        {
            return null;
        }

        // The kernel fills the buffer in native byte order.
        uint uid = MemoryMarshal.Read<uint>(buffer.AsSpan(UidOffset));
        uint gid = MemoryMarshal.Read<uint>(buffer.AsSpan(GidOffset));
        int mode = MemoryMarshal.Read<ushort>(buffer.AsSpan(ModeOffset));
        ulong size = MemoryMarshal.Read<ulong>(buffer.AsSpan(SizeOffset));
        string permissions = Convert.ToString(mode & 0xFFF, 8);
        return new FileStatus(TypeText(mode, size), uid, gid, UserName(uid), GroupName(gid), permissions);
    }

    /// <summary>The words GNU <c>stat %F</c> prints, which checks and messages compare against.</summary>
    private static string TypeText(int mode, ulong size) => (mode & SIfMt) switch
    {
        SIfReg => size == 0 ? "regular empty file" : "regular file",
        SIfDir => "directory",
        SIfLnk => "symbolic link",
        SIfSock => "socket",
        SIfIfo => "fifo",
        SIfChr => "character special file",
        SIfBlk => "block special file",
        _ => "weird file",
    };

    /// <summary>Like <c>stat %U</c>: the name, or <c>UNKNOWN</c> when the database has none.</summary>
    private static string UserName(uint uid)
    {
        Libc.Lookup(
            (IntPtr buffer, nuint length, out Libc.Passwd pwd, out IntPtr result) => Libc.getpwuid_r(uid, out pwd, buffer, length, out result),
            pwd => Marshal.PtrToStringUTF8(pwd.Name),
            out string? name);
        return name ?? "UNKNOWN";
    }

    /// <summary>Like <c>stat %G</c>: the name, or <c>UNKNOWN</c> when the database has none.</summary>
    private static string GroupName(uint gid)
    {
        Libc.Lookup(
            (IntPtr buffer, nuint length, out Libc.Group grp, out IntPtr result) => Libc.getgrgid_r(gid, out grp, buffer, length, out result),
            grp => Marshal.PtrToStringUTF8(grp.Name),
            out string? name);
        return name ?? "UNKNOWN";
    }
}
