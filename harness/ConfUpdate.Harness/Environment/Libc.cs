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

    private const nuint InitialLookupBuffer = 1024;
    private const nuint MaxLookupBuffer = 1 << 20;

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
        [MarshalAs(UnmanagedType.LPUTF8Str)] string name, out Passwd pwd, IntPtr buf, nuint buflen, out IntPtr result);

    [DllImport("libc", SetLastError = true)]
    public static extern int getpwuid_r(uint uid, out Passwd pwd, IntPtr buf, nuint buflen, out IntPtr result);

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
    public static extern int getgrgid_r(uint gid, out Group grp, IntPtr buf, nuint buflen, out IntPtr result);

    /// <summary>A glibc <c>get*_r</c> call on a caller-supplied buffer of <paramref name="length"/> bytes.</summary>
    public delegate int ReentrantLookup<TEntry>(IntPtr buffer, nuint length, out TEntry entry, out IntPtr result);

    /// <summary>
    /// Runs a <c>get*_r</c> lookup, growing its buffer on <c>ERANGE</c>, and lets <paramref name="read"/> take
    /// what it needs while the buffer is alive: the strings of a passwd or group entry point into that
    /// buffer, so it is unmanaged memory (a managed array is pinned only during the call and may move
    /// before the strings are read) and is freed only after <paramref name="read"/> returned.
    /// </summary>
    /// <returns>The call's return code; <paramref name="value"/> is set only when an entry was found.</returns>
    public static int Lookup<TEntry, TValue>(ReentrantLookup<TEntry> lookup, Func<TEntry, TValue> read, out TValue? value)
    {
        ArgumentNullException.ThrowIfNull(lookup);
        ArgumentNullException.ThrowIfNull(read);
        for (nuint size = InitialLookupBuffer; ; size *= 4)
        {
            IntPtr buffer = Marshal.AllocHGlobal((nint)size);
            try
            {
                int rc = lookup(buffer, size, out TEntry entry, out IntPtr result);
                if (rc == ERange && size < MaxLookupBuffer)
                {
                    continue;
                }

                value = rc == 0 && result != IntPtr.Zero ? read(entry) : default;
                return rc;
            }
            finally
            {
                Marshal.FreeHGlobal(buffer);
            }
        }
    }

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
