using System.Runtime.InteropServices;

namespace ConfUpdate.Native;

/// <summary>
/// Every libc function the solution calls, declared once (server, kit, probe and tests alike). Strings are
/// marshalled as UTF-8, the encoding of Linux paths and account names; calls that set <c>errno</c> declare
/// <c>SetLastError</c> so <see cref="LastError"/> reads it.
/// </summary>
public static partial class Libc
{
    private const string Library = "libc";

    /// <summary><c>open(2)</c>: a descriptor, or -1.</summary>
    [LibraryImport(Library, EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int Open(string path, int flags, uint mode);

    /// <summary><c>openat(2)</c>: a descriptor relative to an open directory, or -1.</summary>
    [LibraryImport(Library, EntryPoint = "openat", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int OpenAt(int dirFd, string path, int flags, uint mode);

    /// <summary><c>renameat(2)</c>.</summary>
    [LibraryImport(Library, EntryPoint = "renameat", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int RenameAt(int oldDirFd, string oldPath, int newDirFd, string newPath);

    /// <summary><c>unlinkat(2)</c>.</summary>
    [LibraryImport(Library, EntryPoint = "unlinkat", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int UnlinkAt(int dirFd, string path, int flags);

    /// <summary><c>send(2)</c>.</summary>
    [LibraryImport(Library, EntryPoint = "send", SetLastError = true)]
    public static partial nint Send(int fd, byte[] buffer, nuint length, int flags);

    /// <summary><c>close(2)</c>.</summary>
    [LibraryImport(Library, EntryPoint = "close", SetLastError = true)]
    public static partial int Close(int fd);

    /// <summary><c>fchown(2)</c>: owner and group of an open descriptor.</summary>
    [LibraryImport(Library, EntryPoint = "fchown", SetLastError = true)]
    public static partial int FChown(int fd, uint owner, uint group);

    /// <summary><c>fchmod(2)</c>: permission bits of an open descriptor.</summary>
    [LibraryImport(Library, EntryPoint = "fchmod", SetLastError = true)]
    public static partial int FChmod(int fd, uint mode);

    /// <summary><c>fsync(2)</c>.</summary>
    [LibraryImport(Library, EntryPoint = "fsync", SetLastError = true)]
    public static partial int FSync(int fd);

    /// <summary><c>rename(2)</c>: atomic within one file system.</summary>
    [LibraryImport(Library, EntryPoint = "rename", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int Rename(string oldPath, string newPath);

    /// <summary><c>unlink(2)</c>.</summary>
    [LibraryImport(Library, EntryPoint = "unlink", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int Unlink(string path);

    /// <summary><c>lchown(2)</c>: owner and group of a path, never following a final symbolic link.</summary>
    [LibraryImport(Library, EntryPoint = "lchown", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int LChown(string path, uint owner, uint group);

    /// <summary><c>chmod(2)</c>.</summary>
    [LibraryImport(Library, EntryPoint = "chmod", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int Chmod(string path, uint mode);

    /// <summary><c>mkfifo(3)</c>.</summary>
    [LibraryImport(Library, EntryPoint = "mkfifo", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int MkFifo(string path, uint mode);

    /// <summary><c>dup2(2)</c>.</summary>
    [LibraryImport(Library, EntryPoint = "dup2", SetLastError = true)]
    public static partial int Dup2(int oldFd, int newFd);

    /// <summary><c>fcntl(2)</c> with an integer argument.</summary>
    [LibraryImport(Library, EntryPoint = "fcntl", SetLastError = true)]
    public static partial int Fcntl(int fd, int command, int argument);

    /// <summary><c>getsockopt(2)</c> for an integer option on a raw descriptor.</summary>
    [LibraryImport(Library, EntryPoint = "getsockopt", SetLastError = true)]
    public static partial int GetSockOpt(int fd, int level, int name, ref int value, ref uint length);

    /// <summary><c>recv(2)</c>.</summary>
    [LibraryImport(Library, EntryPoint = "recv", SetLastError = true)]
    public static partial nint Recv(int fd, byte[] buffer, nuint length, int flags);

    /// <summary><c>statx(2)</c> into a <c>struct statx</c> buffer (see <see cref="FileStatus"/>).</summary>
    [LibraryImport(Library, EntryPoint = "statx", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int Statx(int dirFd, string path, int flags, uint mask, byte[] buffer);

    /// <summary><c>geteuid(2)</c>: never fails.</summary>
    [LibraryImport(Library, EntryPoint = "geteuid")]
    public static partial uint GetEUid();

    /// <summary><c>getegid(2)</c>: never fails.</summary>
    [LibraryImport(Library, EntryPoint = "getegid")]
    public static partial uint GetEGid();

    /// <summary><c>unsetenv(3)</c>: removes a variable from the process environment that children inherit.</summary>
    [LibraryImport(Library, EntryPoint = "unsetenv", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int UnsetEnv(string name);

    /// <summary><c>kill(2)</c>: a negative pid signals the whole process group.</summary>
    [LibraryImport(Library, EntryPoint = "kill", SetLastError = true)]
    public static partial int Kill(int pid, int signal);

    /// <summary><c>getpgid(2)</c>: the process group of a process, or -1.</summary>
    [LibraryImport(Library, EntryPoint = "getpgid", SetLastError = true)]
    public static partial int GetPgid(int pid);

    /// <summary><c>getpwnam_r(3)</c>; the strings of <paramref name="entry"/> point into <paramref name="buffer"/>.</summary>
    [LibraryImport(Library, EntryPoint = "getpwnam_r", StringMarshalling = StringMarshalling.Utf8)]
    public static partial int GetPwNamR(string name, out Passwd entry, IntPtr buffer, nuint bufferLength, out IntPtr result);

    /// <summary><c>getpwuid_r(3)</c>; the strings of <paramref name="entry"/> point into <paramref name="buffer"/>.</summary>
    [LibraryImport(Library, EntryPoint = "getpwuid_r")]
    public static partial int GetPwUidR(uint uid, out Passwd entry, IntPtr buffer, nuint bufferLength, out IntPtr result);

    /// <summary><c>getgrnam_r(3)</c>; the strings of <paramref name="entry"/> point into <paramref name="buffer"/>.</summary>
    [LibraryImport(Library, EntryPoint = "getgrnam_r", StringMarshalling = StringMarshalling.Utf8)]
    public static partial int GetGrNamR(string name, out Group entry, IntPtr buffer, nuint bufferLength, out IntPtr result);

    /// <summary><c>getgrgid_r(3)</c>; the strings of <paramref name="entry"/> point into <paramref name="buffer"/>.</summary>
    [LibraryImport(Library, EntryPoint = "getgrgid_r")]
    public static partial int GetGrGidR(uint gid, out Group entry, IntPtr buffer, nuint bufferLength, out IntPtr result);

    /// <summary><c>getgrouplist(3)</c>: -1 with <paramref name="count"/> set to the size needed when the array is too small.</summary>
    [LibraryImport(Library, EntryPoint = "getgrouplist", StringMarshalling = StringMarshalling.Utf8)]
    public static partial int GetGroupList(string user, uint group, [Out] uint[] groups, ref int count);

    /// <summary>The last errno of a call declared with SetLastError.</summary>
    public static int LastError => Marshal.GetLastPInvokeError();

    /// <summary>"open: No such file or directory (errno 2)".</summary>
    public static string Describe(string call, int errno) => $"{call}: {Marshal.GetPInvokeErrorMessage(errno)} (errno {errno})";

    /// <summary>
    /// <c>struct passwd</c>: pointers are native-sized and <c>uid_t</c>/<c>gid_t</c> 32-bit on every Linux ABI,
    /// so sequential layout reproduces the C padding on 32- and 64-bit alike.
    /// </summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct Passwd
    {
        /// <summary><c>pw_name</c>.</summary>
        public IntPtr Name;

        /// <summary><c>pw_passwd</c>.</summary>
        public IntPtr Password;

        /// <summary><c>pw_uid</c>.</summary>
        public uint Uid;

        /// <summary><c>pw_gid</c>.</summary>
        public uint Gid;

        /// <summary><c>pw_gecos</c>.</summary>
        public IntPtr Gecos;

        /// <summary><c>pw_dir</c>.</summary>
        public IntPtr Directory;

        /// <summary><c>pw_shell</c>.</summary>
        public IntPtr Shell;
    }

    /// <summary><c>struct group</c>: name, password, gid, member list.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct Group
    {
        /// <summary><c>gr_name</c>.</summary>
        public IntPtr Name;

        /// <summary><c>gr_passwd</c>.</summary>
        public IntPtr Password;

        /// <summary><c>gr_gid</c>.</summary>
        public uint Gid;

        /// <summary><c>gr_mem</c>.</summary>
        public IntPtr Members;
    }
}
