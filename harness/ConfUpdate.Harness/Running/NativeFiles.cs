using System.Runtime.InteropServices;

namespace ConfUpdate.Harness.Running;

/// <summary>File calls .NET lacks: chown for setting up targets owned by another account.</summary>
internal static class NativeFiles
{
    [DllImport("libc", EntryPoint = "lchown", SetLastError = true, CharSet = CharSet.Ansi, BestFitMapping = false, ThrowOnUnmappableChar = true)]
    private static extern int LChown(string path, uint uid, uint gid);

    /// <summary>Changes owner and group without following a symbolic link.</summary>
    /// <exception cref="IOException">The kernel refused.</exception>
    public static void Chown(string path, uint uid, uint gid)
    {
        if (LChown(path, uid, gid) != 0)
        {
            throw new IOException($"lchown({path}, {uid}, {gid}) failed with errno {Marshal.GetLastPInvokeError()}.");
        }
    }
}
