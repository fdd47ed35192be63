namespace ConfUpdate.Server.Native;

/// <summary>
/// Resolves user and group names through libc (<c>getpwnam_r</c>, <c>getgrnam_r</c>), so NSS
/// sources (LDAP, systemd-userdb) count as they do for every other program. Called only at start
/// (SPEC AUTH-3: never per connection).
/// </summary>
internal static class Accounts
{
    private const int InitialBuffer = 1024;
    private const int MaxBuffer = 1 << 20;

    /// <summary>The uid of a user name, or null when no such user exists.</summary>
    /// <exception cref="IOException">The user database could not be read.</exception>
    public static uint? UserId(string name) => Lookup(name, "getpwnam_r", (byte[] buffer, out uint id) =>
    {
        int rc = Libc.GetPwNamR(name, out Libc.Passwd entry, buffer, (nuint)buffer.Length, out IntPtr result);
        id = entry.Uid;
        return (rc, result != IntPtr.Zero);
    });

    /// <summary>The gid of a group name, or null when no such group exists.</summary>
    /// <exception cref="IOException">The group database could not be read.</exception>
    public static uint? GroupId(string name) => Lookup(name, "getgrnam_r", (byte[] buffer, out uint id) =>
    {
        int rc = Libc.GetGrNamR(name, out Libc.Group entry, buffer, (nuint)buffer.Length, out IntPtr result);
        id = entry.Gid;
        return (rc, result != IntPtr.Zero);
    });

    private delegate (int ReturnCode, bool Found) LookupCall(byte[] buffer, out uint id);

    private static uint? Lookup(string name, string call, LookupCall lookup)
    {
        for (int size = InitialBuffer; size <= MaxBuffer; size *= 2)
        {
            (int rc, bool found) = lookup(new byte[size], out uint id);
            if (rc == LinuxAbi.ERange)
            {
                continue;
            }

            if (rc == LinuxAbi.EIntr)
            {
                size /= 2;
                continue;
            }

            // "Not found" is rc 0 with a null result; glibc may also report ENOENT/ESRCH/EBADF/EPERM
            // for a missing entry depending on the NSS module, which the man page allows.
            if (found && rc == 0)
            {
                return id;
            }

            return rc is 0 or LinuxAbi.ENoEnt or LinuxAbi.ESrch or LinuxAbi.EBadF or LinuxAbi.EPerm
                ? null
                : throw new IOException($"{Libc.Describe(call, rc)} looking up \"{name}\"");
        }

        throw new IOException($"{call}: entry for \"{name}\" does not fit in {MaxBuffer} bytes");
    }
}
