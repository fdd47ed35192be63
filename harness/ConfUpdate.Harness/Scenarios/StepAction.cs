namespace ConfUpdate.Harness.Scenarios;

/// <summary>
/// What one step does: one sealed subtype per action key of the scenario format, bound from that key by
/// <see cref="StepKeyAttribute"/> (see <c>ScenarioJson</c>). What every action must say about itself is
/// abstract here, so the compiler asks for it; running an action is the one switch in <c>StepExecutor</c>.
/// </summary>
public abstract record StepAction
{
    /// <summary>A short description of the action for transcripts, on connection <paramref name="conn"/>.</summary>
    public abstract string Describe(string conn);

    /// <summary>The step lists nested in this action (parallel branches, a repeated or retried block).</summary>
    public virtual IEnumerable<IReadOnlyList<ScenarioStep>> Blocks => [];

    /// <summary>The datagrams this action sends, for lint.</summary>
    public virtual IEnumerable<DatagramSpec> Datagrams => [];

    /// <summary>Whether a step without <c>expect:</c> still has to succeed (a preparatory action such as connect).</summary>
    public virtual bool MustSucceed => false;
}
