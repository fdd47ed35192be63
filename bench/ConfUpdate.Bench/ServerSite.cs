using ConfUpdate.Harness.Environment;

namespace ConfUpdate.Bench;

/// <summary>
/// One server implementation's corner of the work directory: its socket, CONF-1 file and target directory,
/// and the command that starts it. Every server gets the same configuration, so each does the same work.
/// </summary>
/// <param name="Label">The name the table prints.</param>
/// <param name="Directory">The site's directory.</param>
/// <param name="SocketPath">The server's socket.</param>
/// <param name="ConfigPath">The CONF-1 file (<c>{config}</c>).</param>
/// <param name="Command">The server's command line, before CPU placement: the program and its arguments with the placeholders filled in.</param>
internal sealed record ServerSite(string Label, string Directory, string SocketPath, string ConfigPath, IReadOnlyList<string> Command)
{
    /// <summary>Targets are named <c>t0</c> .. <c>t7</c>, all in one directory (the REPLACE figures use 1 and 8 of them).</summary>
    public const string TargetPrefix = "t";

    /// <summary>How many targets every server has.</summary>
    public const int TargetCount = 8;

    /// <summary>Connection caps high enough for the idle-connection figure.</summary>
    public const int MaxConnections = 1100;

    /// <summary>
    /// Creates <c>workDirectory/name</c> (0755), writes the configuration and returns the site.
    /// <paramref name="commandTemplate"/> may use the <c>{config}</c> and <c>{socket}</c> placeholders (SPEC PROF-1).
    /// </summary>
    public static ServerSite Create(string workDirectory, string name, string label, string commandTemplate)
    {
        string directory = CreateWorldReadable(Path.Combine(workDirectory, name));
        string targets = CreateWorldReadable(Path.Combine(directory, "targets"));
        string socket = Path.Combine(directory, "confupdate.sock");
        string config = Path.Combine(directory, "config.json");

        // uid 0 is listed explicitly (SPEC AUTH-5): the bench's C client runs as root.
        new KitConfigFile(
            new KitSocketConfig(socket) { Mode = KitConfigFile.ParseMode("0600") },
            new KitAllowConfig { Uids = [0] },
            [.. Enumerable.Range(0, TargetCount).Select(i =>
                new KitTargetConfig(TargetPrefix + i, Path.Combine(targets, $"{TargetPrefix}{i}.conf")) { Mode = KitConfigFile.ParseMode("0640") })])
        {
            ServerName = "confupdate-bench",
            Limits = new KitLimitsConfig { MaxConnections = MaxConnections, MaxConnectionsPerUid = MaxConnections, IdleTimeoutSeconds = 600 },
        }.WriteTo(config);

        IReadOnlyList<string> command = new ServerLaunch(commandTemplate, socket, config).ExpandCommand();
        return new ServerSite(label, directory, socket, config, command);
    }

    /// <summary>The launch of this server with its CPU placement (<c>taskset -c CPUS</c>) put in front.</summary>
    public ServerLaunch Launch(string cpus) =>
        new(ShellWords.Join(Placement.Pinned(cpus, Command)), SocketPath, ConfigPath)
        {
            ReadyTimeout = TimeSpan.FromSeconds(30),
            // Readiness is the socket accepting a connection (SPEC PROF-2), for every implementation alike.
            UseNotifySocket = false,
        };

    private static string CreateWorldReadable(string path)
    {
        System.IO.Directory.CreateDirectory(path);
        // Explicitly: creation modes are filtered by the umask.
        File.SetUnixFileMode(path, KitConfigFile.ParseMode("0755"));
        return path;
    }
}
