namespace ConfUpdate.Harness.Environment;

/// <summary>
/// A world-readable temporary directory holding copies of build outputs, so that other accounts can run
/// binaries built in a checkout they cannot read (a 0700 home directory). Directories are 0755, files
/// 0644, and files that were executable (apphosts, scripts) 0755. <see cref="Dispose"/> deletes it.
/// </summary>
public sealed class StagingDirectory : IDisposable
{
    private readonly IDisposable _cleanupRegistration;
    private bool _disposed;

    /// <summary>Creates an empty staging directory (mode 0755) under <paramref name="parent"/> (default: the system temp directory).</summary>
    /// <exception cref="KitEnvironmentException">The parent is not traversable by other accounts.</exception>
    public StagingDirectory(string? parent = null, string prefix = "confkit-stage-")
    {
        parent ??= System.IO.Path.GetTempPath();
        if ((new DirectoryInfo(parent).UnixFileMode & UnixFileMode.OtherExecute) == 0)
        {
            throw new KitEnvironmentException(
                $"cannot stage binaries under {parent}: other accounts cannot enter it (mode lacks o+x); set TMPDIR to a world-traversable directory such as /tmp.");
        }

        Path = System.IO.Path.Combine(parent, prefix + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(Path);
        // Set the mode explicitly: creation modes are filtered by the umask.
        UnixFiles.SetMode(Path, UnixFiles.Mode0755);
        _cleanupRegistration = KitCleanup.RegisterDirectory(Path);
    }

    /// <summary>The staging directory's absolute path.</summary>
    public string Path { get; }

    /// <summary>
    /// Copies the whole of <paramref name="sourceDirectory"/> (recursively) to a sub-directory
    /// <paramref name="name"/> and returns the copy's path.
    /// </summary>
    /// <exception cref="DirectoryNotFoundException">The source does not exist (not built yet?).</exception>
    public string Stage(string sourceDirectory, string name)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ArgumentException.ThrowIfNullOrEmpty(sourceDirectory);
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (!Directory.Exists(sourceDirectory))
        {
            throw new DirectoryNotFoundException($"Cannot stage {sourceDirectory}: the directory does not exist (build the project first).");
        }

        string destination = System.IO.Path.Combine(Path, name);
        CopyTree(sourceDirectory, destination);
        return destination;
    }

    /// <summary>Copies one file into the staging directory under <paramref name="relativePath"/> and returns its path.</summary>
    public string StageFile(string sourceFile, string relativePath)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ArgumentException.ThrowIfNullOrEmpty(sourceFile);
        ArgumentException.ThrowIfNullOrEmpty(relativePath);
        string destination = System.IO.Path.Combine(Path, relativePath);
        string? directory = System.IO.Path.GetDirectoryName(destination);
        if (directory is not null && !Directory.Exists(directory))
        {
            Directory.CreateDirectory(directory);
            UnixFiles.SetMode(directory, UnixFiles.Mode0755);
        }

        CopyFile(sourceFile, destination);
        return destination;
    }

    /// <summary>Deletes the staging directory and everything in it.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
            // Already gone: nothing to clean.
        }

        _cleanupRegistration.Dispose();
    }

    private static void CopyTree(string source, string destination)
    {
        Directory.CreateDirectory(destination);
        UnixFiles.SetMode(destination, UnixFiles.Mode0755);
        foreach (string file in Directory.EnumerateFiles(source))
        {
            CopyFile(file, System.IO.Path.Combine(destination, System.IO.Path.GetFileName(file)));
        }

        foreach (string directory in Directory.EnumerateDirectories(source))
        {
            CopyTree(directory, System.IO.Path.Combine(destination, System.IO.Path.GetFileName(directory)));
        }
    }

    private static void CopyFile(string source, string destination)
    {
        File.Copy(source, destination, overwrite: true);
        bool executable = (UnixFiles.GetMode(source) & UnixFiles.AnyExecute) != 0;
        UnixFiles.SetMode(destination, executable ? UnixFiles.Mode0755 : UnixFiles.Mode0644);
    }
}
