using System.Diagnostics;
using System.Globalization;

namespace ConfUpdate.Harness.Checks;

/// <summary>
/// lstat(2) facts of a path: type, owner, group, mode. Read through <c>stat -c</c> because .NET has no
/// API for a file's owner, and <c>struct stat</c>'s layout differs between architectures.
/// </summary>
/// <param name="Type">regular file, directory, symbolic link, socket...</param>
/// <param name="Uid">Owner uid.</param>
/// <param name="Gid">Group gid.</param>
/// <param name="Owner">Owner name (or uid when unknown).</param>
/// <param name="Group">Group name (or gid when unknown).</param>
/// <param name="Mode">Permission bits, octal text such as <c>640</c>.</param>
internal sealed record FileStatus(string Type, uint Uid, uint Gid, string Owner, string Group, string Mode)
{
    /// <summary>lstat-like: a symbolic link is reported as one, not followed. Null when nothing is there.</summary>
    public static FileStatus? Of(string path)
    {
        var info = new ProcessStartInfo("stat", ["-c", "%F|%u|%g|%U|%G|%a", "--", path])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using Process process = Process.Start(info)!;
        string output = process.StandardOutput.ReadToEnd().Trim();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            return null;
        }

        string[] f = output.Split('|');
        return new FileStatus(f[0], uint.Parse(f[1], CultureInfo.InvariantCulture), uint.Parse(f[2], CultureInfo.InvariantCulture), f[3], f[4], f[5]);
    }

    /// <summary>Compares modes written as <c>0640</c>, <c>640</c>...</summary>
    public bool ModeIs(string octal) =>
        Convert.ToInt32(Mode, 8) == Convert.ToInt32(octal, 8);
}
