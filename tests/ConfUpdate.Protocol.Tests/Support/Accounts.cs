namespace ConfUpdate.Protocol.Tests.Support;

/// <summary>Looks up the test accounts (scripts/setup-test-users.sh) in /etc/passwd and /etc/group.</summary>
internal static class Accounts
{
    /// <summary>uid and primary gid of a user.</summary>
    public static (uint Uid, uint Gid) User(string name)
    {
        string[] fields = Entry("/etc/passwd", name);
        return (uint.Parse(fields[2]), uint.Parse(fields[3]));
    }

    /// <summary>gid of a group.</summary>
    public static uint Group(string name) => uint.Parse(Entry("/etc/group", name)[2]);

    private static string[] Entry(string file, string name) =>
        File.ReadLines(file).Select(l => l.Split(':')).FirstOrDefault(f => f[0] == name)
        ?? throw new InvalidOperationException($"{name} is not in {file}; run scripts/setup-test-users.sh.");
}
