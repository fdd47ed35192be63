using BenchmarkDotNet.Running;

// In-process micro-benchmarks; the process-level figures (round trips, durable writes, start-up) are confupdate-bench's.
// dotnet run -c Release --project bench/ConfUpdate.MicroBench -- --filter '*'   (BenchmarkDotNet's own options)
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
