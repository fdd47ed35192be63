using System.CommandLine;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using ConfUpdate.Client;

namespace ConfUpdate.Cli;

/// <summary>
/// Runs one command against the server: connect, call, print the outcome as text or JSON, and turn
/// every failure into its exit code (<see cref="ExitCodes"/>).
/// </summary>
internal sealed class CommandRunner
{
    // Relaxed escaping keeps quotes and apostrophes readable; the output is never embedded in HTML.
    private static readonly JsonSerializerOptions s_json = new() { WriteIndented = false, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private readonly GlobalOptions _globals;
    private readonly CliConsole _console;

    public CommandRunner(GlobalOptions globals, CliConsole console)
    {
        _globals = globals;
        _console = console;
    }

    public CliConsole Console => _console;

    /// <summary>Connects and runs <paramref name="call"/>; <paramref name="target"/> names the target in messages.</summary>
    public async Task<int> RunAsync(
        ParseResult parseResult,
        string? target,
        Func<ConfUpdateClient, CancellationToken, Task<Success>> call,
        CancellationToken cancellationToken)
    {
        bool json = parseResult.GetValue(_globals.Json);
        string socketPath = parseResult.GetValue(_globals.Socket) ?? ConfUpdateClientOptions.DefaultSocketPath;
        bool connecting = true;
        try
        {
            ConfUpdateClientOptions options = _globals.ClientOptions(parseResult);
            await using ConfUpdateClient client = await ConfUpdateClient.ConnectAsync(options, cancellationToken);
            connecting = false;
            Success success = await call(client, cancellationToken);
            WriteSuccess(success, json);
            return ExitCodes.Ok;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return WriteFailure(new Failure(ExitCodes.Interrupted, "INTERRUPTED", "interrupted; an update already sent may still be applied (check with confupdate version)"), json);
        }
        catch (UsageException ex)
        {
            return WriteFailure(Failure.Usage(ex.Message), json);
        }
        catch (Exception ex) when (ex is ConfUpdateException or ArgumentException)
        {
            return WriteFailure(Failure.From(ex, socketPath, target, connecting), json);
        }
    }

    public void WriteSuccess(Success success, bool json) =>
        _console.Out.WriteLine(json ? success.Json.ToJsonString(s_json) : success.Text);

    /// <summary>Prints the one-line message on stderr and, in --json mode, the JSON object on stdout.</summary>
    public int WriteFailure(Failure failure, bool json)
    {
        _console.Error.WriteLine($"confupdate: {failure.Message}");
        if (json)
        {
            _console.Out.WriteLine(failure.ToJson().ToJsonString(s_json));
        }

        return failure.ExitCode;
    }

    public static JsonObject OkJson() => new() { ["ok"] = true, ["status"] = "OK" };
}
