using System.CommandLine;
using ConfUpdate.Bench;

var runs = new Option<int>("--runs", "-n")
{
    Description = "Measured rounds per figure (one unrecorded warm-up round precedes them)",
    HelpName = "N",
    DefaultValueFactory = _ => 9,
};
runs.Validators.Add(result =>
{
    int value = result.GetValueOrDefault<int>();
    if (value is < 1 or > BenchApplication.MaxRuns)
    {
        result.AddError($"--runs must be between 1 and {BenchApplication.MaxRuns}; got {value}.");
    }
});

var native = new Option<string>("--native")
{
    Description = "Directory with the C programs built from bench/native (echo-server, durable-loop, client)",
    HelpName = "DIR",
    Required = true,
};
var server = new Option<string?>("--server")
{
    Description = "A published reference server executable (NativeAOT); default: dotnet and the Release build's dll",
    HelpName = "FILE",
};
var cli = new Option<string?>("--cli")
{
    Description = "A published confupdate executable (NativeAOT); default: dotnet and the Release build's dll",
    HelpName = "FILE",
};

var root = new RootCommand(
    "Measures the reference ConfUpdate server and the Python example against physical-limit baselines run side by side "
    + "(C programs built by bench/run-bench.sh: a SOCK_SEQPACKET echo server, a DUR-1 durable-write loop, a one-shot C client), "
    + "with fixed CPU placement, and prints median, p10, p90, the ratio and the load. Figures only, no thresholds. "
    + "Run as root (use bench/run-bench.sh).")
{
    runs,
    native,
    server,
    cli,
};
root.SetAction((parseResult, cancellationToken) =>
    new BenchApplication(Console.Out, Console.Error).RunAsync(
        new BenchOptions(parseResult.GetValue(runs), parseResult.GetValue(native)!, parseResult.GetValue(server), parseResult.GetValue(cli)),
        cancellationToken));
return await root.Parse(args).InvokeAsync().ConfigureAwait(false);
