using ConfUpdate.Harness.Environment;

namespace ConfUpdate.Harness.Running;

/// <summary>
/// Starts a server socket-activated (SPEC TRANS-5) through <c>systemd-socket-activate --seqpacket</c>, which plays
/// systemd's part: it binds and listens on the socket path, and on the first connection execs the server with
/// <c>LISTEN_PID</c>/<c>LISTEN_FDS=1</c> and the listener as descriptor 3. The activator owns the socket file.
/// </summary>
internal static class SocketActivation
{
    /// <summary>The activator, from Debian's <c>systemd</c> package.</summary>
    public const string ActivatorName = "systemd-socket-activate";

    /// <summary>The server command template run under the activator, listening on <c>{socket}</c>.</summary>
    /// <param name="serverCommand">The server under test's template (SPEC PROF-1).</param>
    /// <exception cref="KitEnvironmentException">The activator is not installed.</exception>
    public static string Wrap(string serverCommand)
    {
        string activator = ToolLocator.Find(ActivatorName)
            ?? throw new KitEnvironmentException($"{ActivatorName} is missing, and socket-activation scenarios need it: apt-get install systemd (or exclude them with --exclude-tag activation).");
        return $"{ShellWords.Quote(activator)} --seqpacket -l {{socket}} {serverCommand}";
    }

    /// <summary>
    /// Opens the activator's socket file to every role (0666), as a <c>.socket</c> unit's <c>SocketMode=</c> would; the
    /// activator creates it with the kit's umask. It differs from the configured mode on purpose: an adopted
    /// socket's file is not the server's to change.
    /// </summary>
    /// <param name="socketPath">The socket path.</param>
    public static void OpenSocketFile(string socketPath) => UnixFiles.SetMode(socketPath, UnixFiles.Mode0666);
}
