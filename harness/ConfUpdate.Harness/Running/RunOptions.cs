using ConfUpdate.Harness.Environment;

namespace ConfUpdate.Harness.Running;

/// <summary>Everything the runner needs to know about the server under test and the machine. Immutable.</summary>
/// <param name="ServerCommand">The server's command template with <c>{config}</c> and <c>{socket}</c> (SPEC PROF-1).</param>
/// <param name="ProbeCommand">Program and arguments that start <c>confkit-probe</c> (e.g. <c>dotnet /stage/probe/confkit-probe.dll</c>).</param>
/// <param name="ClientCommand">Program and arguments that start the reference client CLI (<c>confupdate</c>).</param>
/// <param name="UserSwitch">How processes are run as other accounts.</param>
public sealed record RunOptions(
    string ServerCommand,
    IReadOnlyList<string> ProbeCommand,
    IReadOnlyList<string> ClientCommand,
    UserSwitch UserSwitch)
{
    /// <summary>The kit's default role map (SPEC §14: the kit acts as these accounts).</summary>
    public static IReadOnlyDictionary<string, string> DefaultRoles { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["allowed"] = "www-data",
        ["denied"] = "nobody",
        ["group-member"] = "confkit-member",
        ["stranger"] = "confkit-stranger",
        ["root"] = "root",
    };

    /// <summary>Role name to account name.</summary>
    public IReadOnlyDictionary<string, string> Roles { get; init; } = DefaultRoles;

    /// <summary>The group whose members are allowed by the default configuration.</summary>
    public string AllowedGroup { get; init; } = "confkit-writers";

    /// <summary>Where the run's temporary directory is created; must be traversable by every role.</summary>
    public string WorkRoot { get; init; } = "/tmp";

    /// <summary>How many scenarios run at once.</summary>
    public int Parallelism { get; init; } = Math.Max(4, System.Environment.ProcessorCount * 4);

    /// <summary>How long a server may take to become ready.</summary>
    public TimeSpan ServerReadyTimeout { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>
    /// How long a server that must refuse to start (TRANS-3, CONF-2) may take to exit. SPEC PROF-3 says 5 s;
    /// the default leaves room for a loaded CI machine, where a .NET start alone can take seconds.
    /// </summary>
    public TimeSpan RefusalTimeout { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>
    /// Multiplies every step's wait for replies and for the client (never a sleep, whose length is what a
    /// scenario tests): more than 1 on slow or emulated runners. Default 1.
    /// </summary>
    public double TimeScale { get; init; } = 1;

    /// <summary>A step's timeout scaled by <see cref="TimeScale"/>, in milliseconds.</summary>
    /// <param name="timeoutMs">The step's own timeout.</param>
    public int ScaledTimeoutMs(int timeoutMs) => (int)Math.Min(int.MaxValue, Math.Ceiling(timeoutMs * TimeScale));

    /// <summary>The one-line command that reruns a scenario; <c>{id}</c> is replaced by its id.</summary>
    public string RerunTemplate { get; init; } = "confkit run --id {id}";

    /// <summary>Lines of the server's stderr kept in each result.</summary>
    public int StderrTailLines { get; init; } = 30;
}
