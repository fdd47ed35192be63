using System.Runtime.InteropServices;

namespace ConfUpdate.Server.Native;

/// <summary>
/// The few libc calls .NET has no managed equivalent for: descriptor-based ownership and mode
/// changes, fsync, no-follow opens, the user database, and raw getsockopt on an inherited descriptor.
/// Strings are marshalled as UTF-8 (the default on Unix).
/// </summary>
internal static class Libc
{
    private const string Library = "libc";

    [DllImport(Library, SetLastError = true, EntryPoint = "open")]
    public static extern int Open(string path, int flags, uint mode);

    [DllImport(Library, SetLastError = true, EntryPoint = "openat")]
    public static extern int OpenAt(int dirFd, string path, int flags, uint mode);

    [DllImport(Library, SetLastError = true, EntryPoint = "renameat")]
    public static extern int RenameAt(int oldDirFd, string oldPath, int newDirFd, string newPath);

    [DllImport(Library, SetLastError = true, EntryPoint = "unlinkat")]
    public static extern int UnlinkAt(int dirFd, string path, int flags);

    [DllImport(Library, SetLastError = true, EntryPoint = "send")]
    public static extern nint Send(int fd, byte[] buffer, nuint length, int flags);

    [DllImport(Library, SetLastError = true, EntryPoint = "close")]
    public static extern int Close(int fd);

    [DllImport(Library, SetLastError = true, EntryPoint = "fchown")]
    public static extern int FChown(int fd, uint owner, uint group);

    [DllImport(Library, SetLastError = true, EntryPoint = "fchmod")]
    public static extern int FChmod(int fd, uint mode);

    [DllImport(Library, SetLastError = true, EntryPoint = "fsync")]
    public static extern int FSync(int fd);

    [DllImport(Library, SetLastError = true, EntryPoint = "rename")]
    public static extern int Rename(string oldPath, string newPath);

    [DllImport(Library, SetLastError = true, EntryPoint = "unlink")]
    public static extern int Unlink(string path);

    [DllImport(Library, SetLastError = true, EntryPoint = "lchown")]
    public static extern int LChown(string path, uint owner, uint group);

    [DllImport(Library, SetLastError = true, EntryPoint = "chmod")]
    public static extern int Chmod(string path, uint mode);

    [DllImport(Library, SetLastError = true, EntryPoint = "dup2")]
    public static extern int Dup2(int oldFd, int newFd);

    [DllImport(Library, SetLastError = true, EntryPoint = "fcntl")]
    public static extern int Fcntl(int fd, int command, int argument);

    [DllImport(Library, SetLastError = true, EntryPoint = "getsockopt")]
    public static extern int GetSockOpt(int fd, int level, int name, ref int value, ref uint length);

    [DllImport(Library, SetLastError = true, EntryPoint = "recv")]
    public static extern nint Recv(int fd, byte[] buffer, nuint length, int flags);

    [DllImport(Library, SetLastError = true, EntryPoint = "statx")]
    public static extern int Statx(int dirFd, string path, int flags, uint mask, byte[] buffer);

    [DllImport(Library, EntryPoint = "geteuid")]
    public static extern uint GetEUid();

    [DllImport(Library, EntryPoint = "getegid")]
    public static extern uint GetEGid();

    [DllImport(Library, SetLastError = true, EntryPoint = "unsetenv")]
    public static extern int UnsetEnv(string name);

    [DllImport(Library, EntryPoint = "getpwnam_r")]
    public static extern int GetPwNamR(string name, out Passwd entry, byte[] buffer, nuint bufferLength, out IntPtr result);

    [DllImport(Library, EntryPoint = "getgrnam_r")]
    public static extern int GetGrNamR(string name, out Group entry, byte[] buffer, nuint bufferLength, out IntPtr result);

    /// <summary>The last errno of a call declared with SetLastError.</summary>
    public static int LastError => Marshal.GetLastPInvokeError();

    /// <summary>"open: No such file or directory (errno 2)".</summary>
    public static string Describe(string call, int errno) => $"{call}: {Marshal.GetPInvokeErrorMessage(errno)} (errno {errno})";

    /// <summary><c>struct passwd</c>: pointers and two 32-bit ids; sequential layout reproduces the C padding on 32- and 64-bit ABIs.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct Passwd
    {
        public IntPtr Name;
        public IntPtr Password;
        public uint Uid;
        public uint Gid;
        public IntPtr Gecos;
        public IntPtr Directory;
        public IntPtr Shell;
    }

    /// <summary><c>struct group</c>: name, password, gid, member list.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct Group
    {
        public IntPtr Name;
        public IntPtr Password;
        public uint Gid;
        public IntPtr Members;
    }
}
