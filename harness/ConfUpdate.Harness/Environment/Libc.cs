using System.Runtime.InteropServices;

namespace ConfUpdate.Harness.Environment;

/// <summary>The few libc calls the environment layer needs, declared once.</summary>
internal static class Libc
{
    /// <summary><c>SIGKILL</c>: 9 on every Linux architecture.</summary>
    public const int SigKill = 9;

    /// <summary><c>SIGTERM</c>: 15 on every Linux architecture.</summary>
    public const int SigTerm = 15;

    /// <summary><c>ERANGE</c>: the buffer given to a <c>*_r</c> lookup is too small.</summary>
    public const int ERange = 34;

    /// <summary><c>ESRCH</c>: no such process (already gone).</summary>
    public const int ESrch = 3;

    /// <summary>
    /// <c>struct passwd</c> as glibc lays it out: pointers are native-sized and <c>uid_t</c>/<c>gid_t</c>
    /// are 32-bit on every Linux ABI, so sequential layout with <see cref="IntPtr"/> matches both 32- and 64-bit.
    /// </summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct Passwd
    {
        public IntPtr Name;
        public IntPtr Password;
        public uint Uid;
        public uint Gid;
        public IntPtr Gecos;
        public IntPtr Dir;
        public IntPtr Shell;
    }

    [DllImport("libc", SetLastError = true)]
    public static extern int getpwnam_r(
        [MarshalAs(UnmanagedType.LPUTF8Str)] string name, out Passwd pwd, byte[] buf, nuint buflen, out IntPtr result);

    [DllImport("libc", SetLastError = true)]
    public static extern int getpwuid_r(uint uid, out Passwd pwd, byte[] buf, nuint buflen, out IntPtr result);

    /// <summary><c>struct group</c> as glibc lays it out (name, password, gid, member list).</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct Group
    {
        public IntPtr Name;
        public IntPtr Password;
        public uint Gid;
        public IntPtr Members;
    }

    [DllImport("libc", SetLastError = true)]
    public static extern int getgrgid_r(uint gid, out Group grp, byte[] buf, nuint buflen, out IntPtr result);

    [DllImport("libc", SetLastError = true)]
    public static extern int getgrouplist(
        [MarshalAs(UnmanagedType.LPUTF8Str)] string user, uint group, [Out] uint[] groups, ref int ngroups);

    [DllImport("libc", SetLastError = true)]
    public static extern int kill(int pid, int sig);

    [DllImport("libc")]
    public static extern uint geteuid();

    [DllImport("libc", SetLastError = true)]
    public static extern int getpgid(int pid);
}
