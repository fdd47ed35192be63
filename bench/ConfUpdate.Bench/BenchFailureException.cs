namespace ConfUpdate.Bench;

/// <summary>An operation being measured did not succeed (so its time means nothing). Exit code 1.</summary>
internal sealed class BenchFailureException(string message) : Exception(message);
