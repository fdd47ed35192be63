namespace ConfUpdate.Harness.Running;

/// <summary>How a scenario ended.</summary>
public enum ScenarioOutcome
{
    /// <summary>Every step's outcome was accepted and every check held.</summary>
    Pass,

    /// <summary>The server departed from the spec: an outcome or a check did not match.</summary>
    Fail,

    /// <summary>The kit could not carry the scenario out (environment, probe, or the server did not start).</summary>
    Error,
}
