using ConfUpdate.Harness.Environment;

namespace ConfUpdate.Harness.Stress;

/// <summary>The reliability checks <c>confkit stress</c> can run.</summary>
public enum StressCheck
{
    /// <summary>SIGKILLs during a stream of versioned REPLACEs (SPEC DUR-1, DUR-5, DUR-6, TGT-3).</summary>
    Crash,

    /// <summary>Seeded structure-aware and random datagrams with a SPEC oracle on every reply (FRAME, STAT, CONN-1).</summary>
    Fuzz,

    /// <summary>An allowed client's latency idle and under attack (AUTH-6, CONN-3, FRAME-4).</summary>
    Attack,

    /// <summary>Descriptors, threads and memory before and after churn (CONN-4).</summary>
    Hygiene,
}

/// <summary>What a stress run does, how hard, against which server. Immutable; build variants with <c>with</c>.</summary>
/// <param name="ServerCommand">The server command template (SPEC PROF-1).</param>
/// <param name="ProbeCommand">How to start the kit's probe (the attackers run as other users through it).</param>
/// <param name="UserSwitch">How the kit becomes another user.</param>
/// <param name="Allowed">The allowed account (www-data): the target's group and the holder of connections.</param>
/// <param name="Denied">The denied account (nobody): the connect flood's identity.</param>
public sealed record StressOptions(string ServerCommand, IReadOnlyList<string> ProbeCommand, UserSwitch UserSwitch, UnixAccount Allowed, UnixAccount Denied)
{
    /// <summary>The target's configured mode: what the crash check expects after every kill (SPEC TGT-3).</summary>
    public const UnixFileMode TargetMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead;

    /// <summary>The checks to run, in this order.</summary>
    public IReadOnlyList<StressCheck> Checks { get; init; } = [StressCheck.Crash, StressCheck.Fuzz, StressCheck.Attack, StressCheck.Hygiene];

    /// <summary>The seed of every random choice (kill moments, sizes, fuzz inputs): the same seed replays the same run.</summary>
    public int Seed { get; init; }

    /// <summary>How many SIGKILLs the crash check deals.</summary>
    public int CrashKills { get; init; } = 50;

    /// <summary>How many datagrams the fuzz check sends.</summary>
    public int FuzzDatagrams { get; init; } = 100_000;

    /// <summary>How long each attack phase lasts.</summary>
    public TimeSpan AttackDuration { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>The attack check fails when an allowed client's p99 under attack exceeds this multiple of the idle p99.</summary>
    public double LatencyRatio { get; init; } = 3;

    /// <summary>Latencies below this are treated as equal (a ratio of two tiny figures measures the scheduler, not the server).</summary>
    public TimeSpan LatencyFloor { get; init; } = TimeSpan.FromMilliseconds(2);

    /// <summary>How long the server may take to become ready after each start.</summary>
    public TimeSpan ReadyTimeout { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>How long any one reply may take before the server counts as hung.</summary>
    public TimeSpan ReplyTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Where a minimised failing fuzz input is saved as a scenario file.</summary>
    public string? FailureDirectory { get; init; }
}
