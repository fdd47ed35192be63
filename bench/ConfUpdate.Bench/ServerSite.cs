using ConfUpdate.Harness.Environment;

namespace ConfUpdate.Bench;

/// <summary>
/// One server implementation's corner of the work directory: its socket, CONF-1 file and target directory
/// (all reachable by www-data), and the launch that starts it.
/// </summary>
internal sealed record ServerSite(string Label, ServerLaunch Launch, string TargetPath)
{
    /// <summary>The target name every update uses.</summary>
    public const string TargetName = "site";

    /// <summary>
    /// Creates <c>workDirectory/name</c> (0755), writes the configuration and returns the site.
    /// <paramref name="commandTemplate"/> has the <c>{config}</c> placeholder (SPEC PROF-1).
    /// </summary>
    public static ServerSite Create(string workDirectory, string name, string label, string commandTemplate)
    {
        string directory = CreateWorldReadable(Path.Combine(workDirectory, name));
        string targets = CreateWorldReadable(Path.Combine(directory, "targets"));
        string socket = Path.Combine(directory, "confupdate.sock");
        string config = Path.Combine(directory, "config.json");
        string target = Path.Combine(targets, "site.conf");

        // Socket 0666 so that www-data reaches the peer check, which admits it by name; uid 0 is listed
        // explicitly (SPEC AUTH-5) because the library figures run in this (root) process.
        new KitConfigFile(
            new KitSocketConfig(socket) { Mode = KitConfigFile.ParseMode("0666") },
            new KitAllowConfig { Users = ["www-data"], Uids = [0] },
            [new KitTargetConfig(TargetName, target) { Owner = "root", Group = "www-data", Mode = KitConfigFile.ParseMode("0640") }])
        {
            ServerName = "confupdate-bench",
        }.WriteTo(config);

        // Readiness is the socket accepting a connection (SPEC PROF-2) for both implementations alike:
        // READY=1 is off so that spawn-to-ready means the same thing on both sides of the ratio.
        var launch = new ServerLaunch(commandTemplate, socket, config)
        {
            ReadyTimeout = TimeSpan.FromSeconds(15),
            UseNotifySocket = false,
        };
        return new ServerSite(label, launch, target);
    }

    private static string CreateWorldReadable(string path)
    {
        Directory.CreateDirectory(path);
        // Explicitly: creation modes are filtered by the umask.
        File.SetUnixFileMode(path, KitConfigFile.ParseMode("0755"));
        return path;
    }
}
