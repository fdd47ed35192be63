namespace ConfUpdate.Server.Configuration;

/// <summary>"Did you mean": the candidate nearest to a misspelt name, by edit distance ignoring case.</summary>
internal static class Closest
{
    /// <summary>The candidate with the fewest single-character edits from <paramref name="name"/> (the first on a tie).</summary>
    public static string To(string name, IReadOnlyList<string> candidates)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(candidates);
        return candidates
            .OrderBy(c => Quickenshtein.Levenshtein.GetDistance(name.ToUpperInvariant(), c.ToUpperInvariant()))
            .First();
    }
}
