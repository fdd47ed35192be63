namespace ConfUpdate.Harness.Scenarios;

/// <summary>Scenario files could not be loaded; <see cref="Errors"/> names each file and place.</summary>
public sealed class ScenarioLoadException : Exception
{
    /// <summary>Creates the exception from the problems found.</summary>
    public ScenarioLoadException(IReadOnlyList<ScenarioLoadError> errors)
        : base(Format(errors)) => Errors = errors;

    /// <summary>Creates the exception with a message.</summary>
    public ScenarioLoadException(string message) : base(message) => Errors = [];

    /// <summary>Creates the exception with a message and cause.</summary>
    public ScenarioLoadException(string message, Exception innerException) : base(message, innerException) => Errors = [];

    /// <summary>Creates the exception.</summary>
    public ScenarioLoadException() : base("Scenario files could not be loaded.") => Errors = [];

    /// <summary>Every problem found.</summary>
    public IReadOnlyList<ScenarioLoadError> Errors { get; }

    private static string Format(IReadOnlyList<ScenarioLoadError> errors) =>
        $"{errors.Count} problem(s) in scenario files:{System.Environment.NewLine}" + string.Join(System.Environment.NewLine, errors.Select(e => "  " + e));
}
