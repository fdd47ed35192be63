using System.CommandLine;
using ConfUpdate.Bench;

var runs = new Option<int>("--runs", "-n")
{
    Description = "Measured runs per figure (one unrecorded warm-up run precedes them)",
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

var root = new RootCommand(
    "Measures the reference ConfUpdate server against a baseline run side by side (the Python example server; "
    + "the client library for the CLI) and prints median, p10, p90 and the ratio. Figures only, no thresholds. "
    + "Run as root after building the solution in Release.")
{
    runs,
};
root.SetAction((parseResult, cancellationToken) =>
    new BenchApplication(Console.Out, Console.Error).RunAsync(parseResult.GetValue(runs), cancellationToken));
return await root.Parse(args).InvokeAsync().ConfigureAwait(false);
