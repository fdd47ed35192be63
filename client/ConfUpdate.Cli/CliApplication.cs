using System.CommandLine;
using System.CommandLine.Invocation;
using System.Runtime.InteropServices;
using System.Runtime.Versioning;

// AF_UNIX SOCK_SEQPACKET and the file-mode hints are Linux facts (SPEC TRANS-1).
[assembly: SupportedOSPlatform("linux")]

namespace ConfUpdate.Cli;

/// <summary>The <c>confupdate</c> command tree and its entry point; a thin layer over ConfUpdate.Client.</summary>
internal sealed class CliApplication
{
    private readonly GlobalOptions _globals;
    private readonly CommandRunner _runner;
    private readonly RootCommand _root;

    public CliApplication(CliConsole console)
    {
        _globals = new GlobalOptions(console.Environment);
        _runner = new CommandRunner(_globals, console);
        _root = new RootCommand(
            "confupdate: ask a ConfUpdate server to replace a configuration file or report its version.\n" +
            "Example: confupdate update site --file site.conf\n\n" + ExitCodes.HelpTable);
        _globals.AddTo(_root);
        _root.Add(HelloCommand.Create(_runner));
        _root.Add(UpdateCommand.Create(_runner, _globals));
        _root.Add(VersionCommand.Create(_runner));
    }

    public async Task<int> RunAsync(string[] args, CancellationToken cancellationToken = default)
    {
        ParseResult parseResult = _root.Parse(args);
        if (parseResult.Action is ParseErrorAction)
        {
            // System.CommandLine would print help and exit 1; usage errors are 2 here (README.md, ExitCodes).
            bool json = parseResult.GetResult(_globals.Json) is { Implicit: false };
            string message = string.Join(" ", parseResult.Errors.Select(e => e.Message)) + " (see confupdate --help)";
            return _runner.WriteFailure(Failure.Usage(message), json);
        }

        // SIGINT/SIGTERM cancel the command, which then reports "interrupted" and exits 130.
        // System.CommandLine's own handler would exit 130/143 without letting the command say why,
        // so it is disabled. A second signal terminates at once, in case something ignores the token.
        using var interrupted = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        void OnSignal(PosixSignalContext context)
        {
            context.Cancel = !interrupted.IsCancellationRequested;
            interrupted.Cancel();
        }

        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
        var configuration = new InvocationConfiguration
        {
            Output = _runner.Console.Out,
            Error = _runner.Console.Error,
            ProcessTerminationTimeout = null,
        };
        return await parseResult.InvokeAsync(configuration, interrupted.Token);
    }
}
