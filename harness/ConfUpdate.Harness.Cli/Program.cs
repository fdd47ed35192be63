using ConfUpdate.Harness.Cli;

var io = new KitIo(Console.Out, Console.Error, OutputIsTerminal: !Console.IsOutputRedirected, Environment.GetEnvironmentVariable);
using var application = new KitApplication(io);
return await application.RunAsync(args);
