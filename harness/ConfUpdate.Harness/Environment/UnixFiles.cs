namespace ConfUpdate.Harness.Environment;

/// <summary>File-mode calls in one place; the kit is Linux-only (AF_UNIX SOCK_SEQPACKET), so other platforms throw.</summary>
internal static class UnixFiles
{
    /// <summary>rwxr-xr-x: directories and executables other accounts must run.</summary>
    public const UnixFileMode Mode0755 =
        UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
        | UnixFileMode.GroupRead | UnixFileMode.GroupExecute
        | UnixFileMode.OtherRead | UnixFileMode.OtherExecute;

    /// <summary>rw-r--r--: files other accounts must read.</summary>
    public const UnixFileMode Mode0644 =
        UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    /// <summary>rw-rw-rw-: sockets every account may connect to.</summary>
    public const UnixFileMode Mode0666 =
        UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.GroupWrite
        | UnixFileMode.OtherRead | UnixFileMode.OtherWrite;

    /// <summary>Any of the three execute bits.</summary>
    public const UnixFileMode AnyExecute = UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;

    public static void SetMode(string path, UnixFileMode mode)
    {
        if (OperatingSystem.IsWindows())
        {
            throw new PlatformNotSupportedException("The conformance kit runs on Linux only.");
        }

        File.SetUnixFileMode(path, mode);
    }

    public static UnixFileMode GetMode(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            throw new PlatformNotSupportedException("The conformance kit runs on Linux only.");
        }

        return File.GetUnixFileMode(path);
    }
}
