namespace ConfUpdate.Harness.Scenarios;

/// <summary>"Did you mean": the candidate nearest to a misspelt name, by edit distance ignoring case.</summary>
public static class Closest
{
    /// <summary>The candidate with the fewest single-character edits from <paramref name="name"/> (the first on a tie).</summary>
    public static string To(string name, IReadOnlyList<string> candidates) =>
        candidates.OrderBy(c => Quickenshtein.Levenshtein.GetDistance(name.ToUpperInvariant(), c.ToUpperInvariant())).First();
}
