using ConfUpdate.Native;

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
        PasswdEntry? entry;
        try
        {
            entry = UserDatabase.UserByName(name);
        }
        catch (IOException ex)
        {
            throw new KitEnvironmentException(
                $"looking up account {name} failed ({ex.Message}); check /etc/nsswitch.conf and the user database.");
        }

        return entry is null
            ? throw new KitEnvironmentException(
                $"account {name} does not exist; run scripts/setup-test-users.sh as root (or map the role to an existing account).")
            : FromEntry(name, entry);
    }

    /// <summary>The account the kit itself runs as (effective uid).</summary>
    /// <exception cref="KitEnvironmentException">The effective uid has no entry in the user database.</exception>
    public static UnixAccount Current()
    {
        uint uid = Libc.GetEUid();
        PasswdEntry? entry;
        try
        {
            entry = UserDatabase.UserById(uid);
        }
        catch (IOException ex)
        {
            throw new KitEnvironmentException($"looking up the kit's own uid {uid} failed ({ex.Message}).");
        }

        return entry is null
            ? throw new KitEnvironmentException(
                $"the kit's own uid {uid} has no entry in the user database; run the kit as a named account.")
            : FromEntry(entry.Name, entry);
    }

    private static UnixAccount FromEntry(string name, PasswdEntry entry) =>
        new(name, entry.Uid, entry.Gid, UserDatabase.GroupsOf(name, entry.Gid)) { HomeDirectory = entry.HomeDirectory };

    /// <inheritdoc />
    public override string ToString() => $"{Name} (uid {Uid}, gid {Gid}, groups {string.Join(',', SupplementaryGids)})";
}
