namespace ConfUpdate.Harness.Scenarios;

/// <summary>One problem in a scenario file, with the place it is at.</summary>
/// <param name="File">The file's path.</param>
/// <param name="Location">The JSON pointer of the offending value (<c>/scenarios/3/steps/0</c>).</param>
/// <param name="Line">1-based line in the file (0 when unknown).</param>
/// <param name="Column">1-based column (0 when unknown).</param>
/// <param name="Message">What was expected and what was found.</param>
public sealed record ScenarioLoadError(string File, string Location, int Line, int Column, string Message)
{
    /// <inheritdoc />
    public override string ToString() =>
        Line > 0 ? $"{File}:{Line}:{Column}: {Message}" : $"{File}: at {(Location.Length == 0 ? "/" : Location)}: {Message}";
}
