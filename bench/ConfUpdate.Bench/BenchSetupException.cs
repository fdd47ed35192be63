namespace ConfUpdate.Bench;

/// <summary>The bench cannot start here (not root, nothing built); the message says what to do. Exit code 2.</summary>
internal sealed class BenchSetupException(string message) : Exception(message);
