using ConfUpdate.Cli;

var console = new CliConsole(
    Console.Out,
    Console.Error,
    Console.OpenStandardInput,
    Environment.GetEnvironmentVariable,
    InputIsTerminal: !Console.IsInputRedirected);
return await new CliApplication(console).RunAsync(args);
