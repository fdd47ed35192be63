namespace ConfUpdate.Harness.Scenarios;

/// <summary>One action by one identity, with the outcome(s) it accepts.</summary>
public sealed record ScenarioStep
{
    /// <summary>The role that acts (allowed, denied, group-member, root, stranger...).</summary>
    public string As { get; init; } = "allowed";

    /// <summary>The connection's name within the scenario (default <c>c</c>).</summary>
    public string Conn { get; init; } = "c";

    /// <summary>
    /// The default of <see cref="TimeoutMs"/>. Generous on purpose: a reply that comes is never waited for, so
    /// the default costs nothing on a conformant server, while on a loaded 2-core CI machine a freshly started
    /// server's first REPLACE (JIT, fsync of file and directory) was seen to miss 2 s.
    /// </summary>
    public const int DefaultTimeoutMs = 5000;

    /// <summary>How long to wait for each reply or for the client, in milliseconds (before the run's time scale).</summary>
    public int TimeoutMs { get; init; } = DefaultTimeoutMs;

    /// <summary>What the step does: bound from the step's one action key.</summary>
    public required StepAction Action { get; init; }

    /// <summary>The accepted outcome; null accepts whatever happened (for preparatory steps, <c>ok</c> is required).</summary>
    public Expectation? Expect { get; init; }

    /// <summary>A short description of the action for transcripts.</summary>
    public string Describe() => Action.Describe(Conn);
}
