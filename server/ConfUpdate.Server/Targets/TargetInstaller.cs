using System.Security.Cryptography;
using System.Text;
using ConfUpdate.Protocol;
using ConfUpdate.Server.Audit;
using ConfUpdate.Server.Configuration;
using ConfUpdate.Server.Native;
using Microsoft.Win32.SafeHandles;

namespace ConfUpdate.Server.Targets;

/// <summary>
/// Installs new content exactly as SPEC DUR-1 prescribes: temporary file in the target's directory
/// (<c>O_CREAT|O_EXCL|O_NOFOLLOW</c>, 0600), write, validate, fchown + fchmod, fsync, rename over the
/// target, fsync the directory. Any failure before the rename removes the temporary file and leaves
/// the target as it was (SPEC DUR-2). The caller holds the target's lock (SPEC DUR-4).
/// </summary>
internal static class TargetInstaller
{
    private const uint TempFileMode = 0b110_000_000; // 0600: nobody else reads a candidate before it is validated.
    private const int MaxTempNameStemBytes = 200;    // keeps ".<stem>.<16 hex>.tmp" under NAME_MAX (255).

    /// <summary>Installs <paramref name="content"/> as <paramref name="target"/>'s whole content.</summary>
    /// <exception cref="UnsafeTargetException">The target path is a symbolic link or not a regular file.</exception>
    /// <exception cref="IOException">A step failed; nothing was applied.</exception>
    public static async Task<TargetOutcome> InstallAsync(TargetConfig target, ReadOnlyMemory<byte> content, TimeSpan validatorTimeout)
    {
        ArgumentNullException.ThrowIfNull(target);
        string directory = Path.GetDirectoryName(target.Path)!;
        TargetReader.EnsureRegular(target.Path, FileStatus.OfPathNoFollow(target.Path).Kind);

        string tempPath = Path.Combine(directory, TempName(Path.GetFileName(target.Path)));
        int fd = Libc.Open(
            tempPath,
            LinuxAbi.OWrOnly | LinuxAbi.OCreat | LinuxAbi.OExcl | LinuxAbi.ONoFollow | LinuxAbi.OCloexec,
            TempFileMode);
        if (fd < 0)
        {
            throw new IOException($"creating a temporary file in {directory} failed: {Libc.Describe("open", Libc.LastError)}");
        }

        bool renamed = false;
        try
        {
            using (var handle = new SafeFileHandle(fd, ownsHandle: true))
            {
                RandomAccess.Write(handle, content.Span, 0);
                if (target.Validator is { } validator)
                {
                    ValidatorResult verdict = await ValidatorRunner.RunAsync(validator, tempPath, validatorTimeout).ConfigureAwait(false);
                    if (!verdict.Accepted)
                    {
                        string detail = verdict.Output.Length == 0 ? verdict.Summary : $"{verdict.Summary}: {AuditText.Escape(verdict.Output)}";
                        return TargetOutcome.Fail(verdict.Started ? Status.ValidationFailed : Status.InternalError, detail);
                    }
                }

                Check(Libc.FChown(fd, target.Owner, target.Group), "fchown");
                // After fchown: chown clears setuid/setgid bits, so the mode is set last.
                Check(Libc.FChmod(fd, (uint)target.Mode), "fchmod");
                Check(Libc.FSync(fd), "fsync");
            }

            // Looked at again just before the rename: an operator may have put a link there meanwhile.
            TargetReader.EnsureRegular(target.Path, FileStatus.OfPathNoFollow(target.Path).Kind);
            Check(Libc.Rename(tempPath, target.Path), "rename");
            renamed = true;
        }
        finally
        {
            if (!renamed)
            {
                // DUR-2: no temporary file outlives its request. Failure to unlink is reported by the caller's log only.
                _ = Libc.Unlink(tempPath);
            }
        }

        // The rename is only durable once the directory entry is.
        SyncDirectory(directory);
        return new TargetOutcome(Status.Ok, string.Empty, ContentVersion.Of(content.Span).Bytes.ToArray());
    }

    /// <summary>".site.conf.3f9a0c1d2b4e5f60.tmp": hidden, unique, and recognisable as ours (SPEC DUR-1).</summary>
    internal static string TempName(string fileName)
    {
        string stem = fileName;
        while (Encoding.UTF8.GetByteCount(stem) > MaxTempNameStemBytes)
        {
            stem = stem[..^1];
        }

        return $".{stem}.{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8))}.tmp";
    }

    private static void SyncDirectory(string directory)
    {
        int fd = Libc.Open(directory, LinuxAbi.ORdOnly | LinuxAbi.ODirectory | LinuxAbi.OCloexec, 0);
        if (fd < 0)
        {
            throw new InstalledButNotSyncedException($"content installed, but opening {directory} to fsync it failed: {Libc.Describe("open", Libc.LastError)}");
        }

        try
        {
            if (Libc.FSync(fd) != 0)
            {
                throw new InstalledButNotSyncedException($"content installed, but fsync of the directory failed: {Libc.Describe("fsync", Libc.LastError)}");
            }
        }
        finally
        {
            _ = Libc.Close(fd);
        }
    }

    private static void Check(int result, string call)
    {
        if (result != 0)
        {
            throw new IOException(Libc.Describe(call, Libc.LastError));
        }
    }
}
