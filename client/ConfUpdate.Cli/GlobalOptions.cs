using System.CommandLine;
using ConfUpdate.Client;

namespace ConfUpdate.Cli;

/// <summary>Options every command accepts: --socket, --json, --timeout.</summary>
internal sealed class GlobalOptions
{
    /// <summary>Environment variable that overrides the default socket path.</summary>
    public const string SocketVariable = "CONFUPDATE_SOCKET";

    public GlobalOptions(Func<string, string?> environment)
    {
        Socket = new Option<string>("--socket", "-s")
        {
            Description = $"Path of the server's socket (default: ${SocketVariable}, else {ConfUpdateClientOptions.DefaultSocketPath})",
            HelpName = "PATH",
            Recursive = true,
            DefaultValueFactory = _ => environment(SocketVariable) is { Length: > 0 } fromEnvironment
                ? fromEnvironment
                : ConfUpdateClientOptions.DefaultSocketPath,
        };
        Socket.Validators.Add(result =>
        {
            if (string.IsNullOrEmpty(result.GetValueOrDefault<string>()))
            {
                result.AddError("--socket needs a non-empty path.");
            }
        });

        Json = new Option<bool>("--json")
        {
            Description = "Print one JSON object on stdout (for scripts); errors too",
            Recursive = true,
        };

        Timeout = new Option<double>("--timeout", "-t")
        {
            Description = "Seconds to wait for the connection and for each reply",
            HelpName = "SECONDS",
            Recursive = true,
            DefaultValueFactory = _ => ConfUpdateClientOptions.DefaultRequestTimeout.TotalSeconds,
        };
        Timeout.Validators.Add(result =>
        {
            double seconds = result.GetValueOrDefault<double>();
            if (!double.IsFinite(seconds) || seconds <= 0 || seconds > int.MaxValue / 1000.0)
            {
                result.AddError($"--timeout must be a positive number of seconds; got {seconds}.");
            }
        });
    }

    public Option<string> Socket { get; }

    public Option<bool> Json { get; }

    public Option<double> Timeout { get; }

    public void AddTo(Command command)
    {
        command.Add(Socket);
        command.Add(Json);
        command.Add(Timeout);
    }

    public ConfUpdateClientOptions ClientOptions(ParseResult parseResult) =>
        new ConfUpdateClientOptions(parseResult.GetRequiredValue(Socket))
            .WithRequestTimeout(TimeSpan.FromSeconds(parseResult.GetValue(Timeout)));
}
