namespace ConfUpdate.Native;

/// <summary>chown for callers that set up files owned by another account (.NET has no managed chown).</summary>
public static class Ownership
{
    /// <summary>Changes owner and group of <paramref name="path"/> without following a symbolic link.</summary>
    /// <exception cref="IOException">The kernel refused; the message carries the errno.</exception>
    public static void ChangeNoFollow(string path, uint uid, uint gid)
    {
        if (Libc.LChown(path, uid, gid) != 0)
        {
            throw new IOException($"{Libc.Describe("lchown", Libc.LastError)} for {path} ({uid}:{gid})");
        }
    }
}
