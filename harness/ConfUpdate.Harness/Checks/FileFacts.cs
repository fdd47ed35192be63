using ConfUpdate.Native;

namespace ConfUpdate.Harness.Checks;

/// <summary>
/// lstat(2) facts of a path as checks compare them: type, owner, group, mode, read in process with statx(2)
/// (<see cref="FileStatus"/>; a check used to start one <c>stat</c> process per call). Type words and names are
/// those GNU <c>stat -c</c> prints.
/// </summary>
/// <param name="Type">regular file, directory, symbolic link, socket...</param>
/// <param name="Uid">Owner uid.</param>
/// <param name="Gid">Group gid.</param>
/// <param name="Owner">Owner name (<c>UNKNOWN</c> when the user database has none).</param>
/// <param name="Group">Group name (<c>UNKNOWN</c> when the group database has none).</param>
/// <param name="Mode">Permission bits, octal text such as <c>640</c>.</param>
internal sealed record FileFacts(string Type, uint Uid, uint Gid, string Owner, string Group, string Mode)
{
    /// <summary>lstat-like: a symbolic link is reported as one, not followed. Null when statx fails (nothing there, no access...).</summary>
    public static FileFacts? Of(string path)
    {
        if (!FileStatus.TryOfPathNoFollow(path, out FileStatus status, out _))
        {
            return null;
        }

        return new FileFacts(
            TypeText(status),
            status.Uid,
            status.Gid,
            UserDatabase.UserById(status.Uid)?.Name ?? "UNKNOWN",
            UserDatabase.GroupNameById(status.Gid) ?? "UNKNOWN",
            Convert.ToString(status.Permissions, 8));
    }

    /// <summary>Compares modes written as <c>0640</c>, <c>640</c>...</summary>
    public bool ModeIs(string octal) =>
        Convert.ToInt32(Mode, 8) == Convert.ToInt32(octal, 8);

    /// <summary>The words GNU <c>stat %F</c> prints, which checks and messages compare against.</summary>
    private static string TypeText(FileStatus status) => status.Kind switch
    {
        FileKind.Regular => status.Size == 0 ? "regular empty file" : "regular file",
        FileKind.Directory => "directory",
        FileKind.SymbolicLink => "symbolic link",
        FileKind.Socket => "socket",
        FileKind.Fifo => "fifo",
        FileKind.CharacterDevice => "character special file",
        FileKind.BlockDevice => "block special file",
        _ => "weird file",
    };
}
