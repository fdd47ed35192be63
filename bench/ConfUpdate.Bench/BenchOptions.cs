namespace ConfUpdate.Bench;

/// <summary>What the command line chose.</summary>
/// <param name="Runs">Measured rounds per figure.</param>
/// <param name="NativeDirectory">Where bench/run-bench.sh put the C programs it compiled.</param>
/// <param name="ServerExecutable">A published server binary (NativeAOT), or null for the framework-dependent build.</param>
/// <param name="CliExecutable">A published CLI binary (NativeAOT), or null for the framework-dependent build.</param>
internal sealed record BenchOptions(int Runs, string NativeDirectory, string? ServerExecutable, string? CliExecutable);
