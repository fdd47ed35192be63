using System.Security.Cryptography;
using System.Text;
using ConfUpdate.Native;
using ConfUpdate.Protocol;
using ConfUpdate.Server.Audit;
using ConfUpdate.Server.Configuration;
using Microsoft.Win32.SafeHandles;

namespace ConfUpdate.Server.Targets;

/// <summary>
/// Installs new content exactly as SPEC DUR-1 prescribes: temporary file in the target's directory
/// (<c>openat(O_CREAT|O_EXCL|O_NOFOLLOW)</c>, 0600), write, validate, fchown + fchmod, fsync, renameat
/// over the target, fsync the directory, all relative to the checked directory descriptor (TGT-6). Any failure before the rename removes the temporary file and leaves
/// the target as it was (SPEC DUR-2). The caller holds the target's lock (SPEC DUR-4).
/// </summary>
internal static class TargetInstaller
{
    private const uint TempFileMode = 0b110_000_000; // 0600: nobody else reads a candidate before it is validated.
    /// <summary>SPEC DUR-6: the file-name prefix is at most 200 bytes, which keeps ".&lt;stem&gt;.&lt;16 hex&gt;.tmp" under NAME_MAX (255).</summary>
    internal const int MaxTempNameStemBytes = 200;

    /// <summary>SPEC DUR-6: the random part is 8 random bytes as 16 lowercase hex digits.</summary>
    internal const int RandomHexDigits = 16;

    /// <summary>SPEC DUR-6: every temporary name ends so.</summary>
    internal const string TempSuffix = ".tmp";

    /// <summary>Installs <paramref name="content"/> as <paramref name="target"/>'s whole content.</summary>
    /// <exception cref="UnsafeTargetException">The target path is a symbolic link or not a regular file.</exception>
    /// <exception cref="IOException">A step failed; nothing was applied.</exception>
    /// <param name="target">The target to replace.</param>
    /// <param name="directory">The target's checked directory (TGT-6); every step is relative to it.</param>
    /// <param name="directorySync">The group-commit syncer of the target's directory (step 6).</param>
    /// <param name="content">Its new content.</param>
    /// <param name="validatorTimeout">How long the target's validator may run.</param>
    public static async Task<TargetOutcome> InstallAsync(TargetConfig target, TargetDirectory directory, DirectorySync directorySync, ReadOnlyMemory<byte> content, TimeSpan validatorTimeout)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(directory);
        ArgumentNullException.ThrowIfNull(directorySync);
        // TGT-6: every step below is relative to the checked directory's descriptor, never to the path.
        int dirFd = directory.Descriptor;
        string name = Path.GetFileName(target.Path);
        TargetReader.EnsureRegular(target.Path, FileStatus.OfEntryNoFollow(dirFd, name).Kind);

        string tempName = TempName(name);
        int fd = Libc.OpenAt(
            dirFd,
            tempName,
            LinuxAbi.OWrOnly | LinuxAbi.OCreat | LinuxAbi.OExcl | LinuxAbi.ONoFollow | LinuxAbi.OCloexec,
            TempFileMode);
        if (fd < 0)
        {
            throw new IOException($"creating a temporary file in {directory.Path} failed: {Libc.Describe("openat", Libc.LastError)}");
        }

        bool renamed = false;
        try
        {
            using (var handle = new SafeFileHandle(fd, ownsHandle: true))
            {
                RandomAccess.Write(handle, content.Span, 0);
                if (target.Validator is { } validator)
                {
                    ValidatorResult verdict = await ValidatorRunner.RunAsync(validator, directory.PathOf(tempName), validatorTimeout).ConfigureAwait(false);
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
            TargetReader.EnsureRegular(target.Path, FileStatus.OfEntryNoFollow(dirFd, name).Kind);
            Check(Libc.RenameAt(dirFd, tempName, dirFd, name), "renameat");
            renamed = true;
        }
        finally
        {
            if (!renamed)
            {
                // DUR-2: no temporary file outlives its request. Failure to unlink is reported by the caller's log only.
                _ = Libc.UnlinkAt(dirFd, tempName, 0);
            }
        }

        // The rename is only durable once the directory entry is; one sync may cover concurrent renames.
        directorySync.SyncAfterRename(dirFd);
        return new TargetOutcome(Status.Ok, string.Empty, ContentVersion.Of(content.Span).Bytes.ToArray());
    }

    /// <summary>".site.conf.3f9a0c1d2b4e5f60.tmp": hidden, unique, and recognisable as ours (SPEC DUR-6).</summary>
    internal static string TempName(string fileName)
    {
        return $".{TempStem(fileName)}.{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(RandomHexDigits / 2))}{TempSuffix}";
    }

    /// <summary>SPEC DUR-6's P: the file name, or its longest prefix of at most 200 bytes ending on a character boundary.</summary>
    internal static string TempStem(string fileName)
    {
        ArgumentNullException.ThrowIfNull(fileName);
        string stem = fileName;
        while (Encoding.UTF8.GetByteCount(stem) > MaxTempNameStemBytes)
        {
            // Drop a whole surrogate pair at once: a prefix never ends inside a character.
            stem = char.IsLowSurrogate(stem[^1]) && stem.Length > 1 ? stem[..^2] : stem[..^1];
        }

        return stem;
    }

    private static void Check(int result, string call)
    {
        if (result != 0)
        {
            throw new IOException(Libc.Describe(call, Libc.LastError));
        }
    }
}
