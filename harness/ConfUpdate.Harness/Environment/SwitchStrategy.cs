namespace ConfUpdate.Harness.Environment;

/// <summary>How the kit runs a process as another Unix account.</summary>
public enum SwitchStrategy
{
    /// <summary>Choose: <see cref="Setpriv"/> when the kit runs as root, otherwise <see cref="Sudo"/>.</summary>
    Auto,

    /// <summary><c>sudo -n -u NAME --</c>: the canonical form, for runners that are not root (needs passwordless sudo).</summary>
    Sudo,

    /// <summary><c>setpriv --reuid --regid --init-groups --</c>: needs root, no sudo configuration.</summary>
    Setpriv,

    /// <summary>
    /// CliWrap's <c>WithCredentials</c> (.NET's <c>ProcessStartInfo.UserName</c>): the runtime sets the child's uid,
    /// gid and supplementary groups itself between fork and exec. Needs root; no external tool.
    /// </summary>
    Credentials,

    /// <summary>No switching: every process runs as the current user; asking for another account fails.</summary>
    None,
}
