using System.Runtime.InteropServices;

namespace ConfUpdate.Harness.Environment;

/// <summary>A Unix account as the user database describes it, resolved once when the kit starts.</summary>
/// <param name="Name">The login name.</param>
/// <param name="Uid">The user id.</param>
/// <param name="Gid">The primary group id.</param>
/// <param name="SupplementaryGids">Every group the account is in (<c>getgrouplist</c>, primary group included).</param>
public sealed record UnixAccount(string Name, uint Uid, uint Gid, IReadOnlyList<uint> SupplementaryGids)
{
    /// <summary>The home directory from the user database (used for <c>HOME</c> when switching with setpriv).</summary>
    public string HomeDirectory { get; init; } = "/";

    /// <summary>Looks an account up by name with <c>getpwnam_r</c> and <c>getgrouplist</c>.</summary>
    /// <exception cref="KitEnvironmentException">The account does not exist; the message says how to create it.</exception>
    public static UnixAccount Lookup(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        int rc = Libc.Lookup(
            (IntPtr buffer, nuint length, out Libc.Passwd pwd, out IntPtr result) => Libc.getpwnam_r(name, out pwd, buffer, length, out result),
            pwd => FromPasswd(name, pwd),
            out UnixAccount? account);
        if (rc != 0)
        {
            throw new KitEnvironmentException(
                $"looking up account {name} failed (getpwnam_r error {rc}); check /etc/nsswitch.conf and the user database.");
        }

        return account ?? throw new KitEnvironmentException(
            $"account {name} does not exist; run scripts/setup-test-users.sh as root (or map the role to an existing account).");
    }

    /// <summary>The account the kit itself runs as (effective uid).</summary>
    /// <exception cref="KitEnvironmentException">The effective uid has no entry in the user database.</exception>
    public static UnixAccount Current()
    {
        uint uid = Libc.geteuid();
        int rc = Libc.Lookup(
            (IntPtr buffer, nuint length, out Libc.Passwd pwd, out IntPtr result) => Libc.getpwuid_r(uid, out pwd, buffer, length, out result),
            pwd => FromPasswd(Marshal.PtrToStringUTF8(pwd.Name) ?? uid.ToString(), pwd),
            out UnixAccount? account);
        return account ?? throw new KitEnvironmentException(
            $"the kit's own uid {uid} has no entry in the user database (getpwuid_r returned {rc}); run the kit as a named account.");
    }

    private static UnixAccount FromPasswd(string name, Libc.Passwd pwd)
    {
        string home = Marshal.PtrToStringUTF8(pwd.Dir) ?? "/";
        return new UnixAccount(name, pwd.Uid, pwd.Gid, GroupsOf(name, pwd.Gid)) { HomeDirectory = home };
    }

    private static uint[] GroupsOf(string name, uint primaryGid)
    {
        int count = 32;
        while (true)
        {
            var groups = new uint[count];
            int n = count;
            // getgrouplist returns -1 and sets n to the needed size when the array is too small.
            if (Libc.getgrouplist(name, primaryGid, groups, ref n) >= 0)
            {
                return groups[..n];
            }

            if (n <= count)
            {
                n = count * 2;
            }

            count = n;
        }
    }

    /// <inheritdoc />
    public override string ToString() => $"{Name} (uid {Uid}, gid {Gid}, groups {string.Join(',', SupplementaryGids)})";
}
