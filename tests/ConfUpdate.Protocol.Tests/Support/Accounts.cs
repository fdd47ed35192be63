using ConfUpdate.Native;

namespace ConfUpdate.Protocol.Tests.Support;

/// <summary>Looks up the test accounts (scripts/setup-test-users.sh) in the user and group databases.</summary>
internal static class Accounts
{
    /// <summary>uid and primary gid of a user.</summary>
    public static (uint Uid, uint Gid) User(string name)
    {
        PasswdEntry entry = UserDatabase.UserByName(name) ?? throw Missing(name);
        return (entry.Uid, entry.Gid);
    }

    /// <summary>gid of a group.</summary>
    public static uint Group(string name) => UserDatabase.GroupIdByName(name) ?? throw Missing(name);

    private static InvalidOperationException Missing(string name) =>
        new($"{name} is not in the user or group database; run scripts/setup-test-users.sh.");
}
