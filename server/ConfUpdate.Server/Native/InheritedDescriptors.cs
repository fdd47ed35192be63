using System.Globalization;
using ConfUpdate.Native;

namespace ConfUpdate.Server.Native;

/// <summary>
/// Descriptors the server inherited from whoever started it (a shell, a test runner) are not
/// close-on-exec and would leak into every validator. Marking them once at start keeps the promise
/// of SPEC TRANS-4 that a validator inherits nothing but stdin, stdout and stderr.
/// </summary>
internal static class InheritedDescriptors
{
    /// <summary>Sets <c>FD_CLOEXEC</c> on every open descriptor above 2.</summary>
    public static void MarkCloseOnExec()
    {
        string[] entries;
        try
        {
            entries = Directory.GetFileSystemEntries("/proc/self/fd");
        }
        catch (IOException)
        {
            return; // No /proc: nothing to enumerate; .NET's own descriptors are close-on-exec anyway.
        }

        foreach (string entry in entries)
        {
            if (int.TryParse(Path.GetFileName(entry), NumberStyles.None, CultureInfo.InvariantCulture, out int fd) && fd > 2)
            {
                // Fails harmlessly for the directory descriptor used to list /proc/self/fd, already closed.
                _ = Libc.Fcntl(fd, LinuxAbi.FSetFd, LinuxAbi.FdCloexec);
            }
        }
    }
}
