namespace ConfUpdate.Harness.Reporting;

/// <summary>One scenario citing a requirement, with its verdict when it ran.</summary>
/// <param name="ScenarioId">The scenario's id.</param>
/// <param name="Level">The scenario's level (MUST or SHOULD).</param>
/// <param name="Verdict">Its verdict, or <c>null</c> when it did not run (listing, or deselected).</param>
public sealed record CoverageEntry(string ScenarioId, string Level, Verdict? Verdict);
