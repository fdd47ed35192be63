namespace ConfUpdate.Harness.Scenarios;

/// <summary><c>kill_probe:</c> SIGKILL this role's probe (the scenario gets probes of its own).</summary>
[StepKey("kill_probe")]
public sealed record KillProbeStep : StepAction
{
    /// <inheritdoc />
    public override string Describe(string conn) => "SIGKILL probe";
}
