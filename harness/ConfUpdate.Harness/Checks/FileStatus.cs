namespace ConfUpdate.Harness.Checks;

/// <summary>
/// lstat(2) facts of a path: type, owner, group, mode, read with statx(2) (see <see cref="NativeStat"/>)
/// because .NET has no API for a file's owner. Type words and names are those GNU <c>stat -c</c> prints.
/// </summary>
/// <param name="Type">regular file, directory, symbolic link, socket...</param>
/// <param name="Uid">Owner uid.</param>
/// <param name="Gid">Group gid.</param>
/// <param name="Owner">Owner name (<c>UNKNOWN</c> when the user database has none).</param>
/// <param name="Group">Group name (<c>UNKNOWN</c> when the group database has none).</param>
/// <param name="Mode">Permission bits, octal text such as <c>640</c>.</param>
internal sealed record FileStatus(string Type, uint Uid, uint Gid, string Owner, string Group, string Mode)
{
    /// <summary>lstat-like: a symbolic link is reported as one, not followed. Null when nothing is there.</summary>
    public static FileStatus? Of(string path) => NativeStat.Lstat(path);

    /// <summary>Compares modes written as <c>0640</c>, <c>640</c>...</summary>
    public bool ModeIs(string octal) =>
        Convert.ToInt32(Mode, 8) == Convert.ToInt32(octal, 8);
}
