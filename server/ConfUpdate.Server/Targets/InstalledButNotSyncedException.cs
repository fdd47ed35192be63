namespace ConfUpdate.Server.Targets;

/// <summary>
/// The rename succeeded but the directory could not be fsynced (SPEC DUR-1 step 6). The new content
/// is visible but may not survive a power loss; the request is answered INTERNAL_ERROR.
/// </summary>
internal sealed class InstalledButNotSyncedException : IOException
{
    /// <summary>Creates the exception.</summary>
    public InstalledButNotSyncedException(string message) : base(message) { }

    /// <summary>Creates the exception with its cause.</summary>
    public InstalledButNotSyncedException(string message, Exception inner) : base(message, inner) { }

    /// <summary>Creates the exception with a default message.</summary>
    public InstalledButNotSyncedException() : base("Content installed, but the directory could not be synced.") { }
}
