using System.Runtime.InteropServices;

namespace ConfUpdate.Native;

/// <summary>
/// The user and group databases through libc (<c>getpwnam_r</c> and friends), so NSS sources (LDAP,
/// systemd-userdb) count as they do for every other program.
/// </summary>
public static class UserDatabase
{
    private const nuint InitialBuffer = 1024;
    private const nuint MaxBuffer = 1 << 20;

    /// <summary>A user's entry, or null when no such user exists.</summary>
    /// <exception cref="IOException">The user database could not be read.</exception>
    public static PasswdEntry? UserByName(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        return Lookup(
            $"getpwnam_r(\"{name}\")",
            (IntPtr buffer, nuint length, out Libc.Passwd entry, out IntPtr result) => Libc.GetPwNamR(name, out entry, buffer, length, out result),
            ToEntry);
    }

    /// <summary>The entry of a uid, or null when the database has none.</summary>
    /// <exception cref="IOException">The user database could not be read.</exception>
    public static PasswdEntry? UserById(uint uid) => Lookup(
        $"getpwuid_r({uid})",
        (IntPtr buffer, nuint length, out Libc.Passwd entry, out IntPtr result) => Libc.GetPwUidR(uid, out entry, buffer, length, out result),
        ToEntry);

    /// <summary>The gid of a group name, or null when no such group exists.</summary>
    /// <exception cref="IOException">The group database could not be read.</exception>
    public static uint? GroupIdByName(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        return Lookup(
            $"getgrnam_r(\"{name}\")",
            (IntPtr buffer, nuint length, out Libc.Group entry, out IntPtr result) => Libc.GetGrNamR(name, out entry, buffer, length, out result),
            group => (uint?)group.Gid);
    }

    /// <summary>The name of a gid, or null when the database has none.</summary>
    /// <exception cref="IOException">The group database could not be read.</exception>
    public static string? GroupNameById(uint gid) => Lookup(
        $"getgrgid_r({gid})",
        (IntPtr buffer, nuint length, out Libc.Group entry, out IntPtr result) => Libc.GetGrGidR(gid, out entry, buffer, length, out result),
        group => Marshal.PtrToStringUTF8(group.Name));

    /// <summary>Every group <paramref name="user"/> is in (<c>getgrouplist</c>), the primary group included.</summary>
    public static uint[] GroupsOf(string user, uint primaryGid)
    {
        int size = 32;
        while (true)
        {
            var groups = new uint[size];
            int count = size;
            if (Libc.GetGroupList(user, primaryGid, groups, ref count) >= 0)
            {
                return groups[..count];
            }

            // -1 with count set to the size needed; some libcs leave count alone, so at least double.
            size = count > size ? count : size * 2;
        }
    }

    private delegate int ReentrantLookup<TEntry>(IntPtr buffer, nuint length, out TEntry entry, out IntPtr result);

    private static PasswdEntry? ToEntry(Libc.Passwd entry) => new PasswdEntry(
        Marshal.PtrToStringUTF8(entry.Name) ?? string.Empty, entry.Uid, entry.Gid, Marshal.PtrToStringUTF8(entry.Directory) ?? "/");

    /// <summary>
    /// Runs a <c>get*_r</c> lookup, growing its buffer on <c>ERANGE</c>, and lets <paramref name="read"/> take what
    /// it needs while the buffer is alive: an entry's strings point into that buffer, so it is unmanaged memory
    /// (a managed array is pinned only during the call) and is freed only after <paramref name="read"/> returned.
    /// </summary>
    private static TValue? Lookup<TEntry, TValue>(string call, ReentrantLookup<TEntry> lookup, Func<TEntry, TValue?> read)
    {
        for (nuint size = InitialBuffer; size <= MaxBuffer;)
        {
            IntPtr buffer = Marshal.AllocHGlobal((nint)size);
            try
            {
                int rc = lookup(buffer, size, out TEntry entry, out IntPtr result);
                if (rc == Errno.ERange)
                {
                    size *= 2;
                    continue;
                }

                if (rc == Errno.EIntr)
                {
                    continue;
                }

                if (rc == 0 && result != IntPtr.Zero)
                {
                    return read(entry);
                }

                // "Not found" is rc 0 with a null result; glibc may also report ENOENT/ESRCH/EBADF/EPERM
                // for a missing entry depending on the NSS module, which the man page allows.
                return rc is 0 or Errno.ENoEnt or Errno.ESrch or Errno.EBadF or Errno.EPerm
                    ? default
                    : throw new IOException(Libc.Describe(call, rc));
            }
            finally
            {
                Marshal.FreeHGlobal(buffer);
            }
        }

        throw new IOException($"{call}: the entry does not fit in {MaxBuffer} bytes");
    }
}
