using System.CommandLine;
using System.Runtime.InteropServices;
using System.Runtime.Versioning;
using ConfUpdate.Harness.Environment;
using ConfUpdate.Harness.Scenarios;

// AF_UNIX SOCK_SEQPACKET, SO_PEERCRED and user switching are Linux facts (SPEC TRANS-1, AUTH-1).
[assembly: SupportedOSPlatform("linux")]

namespace ConfUpdate.Harness.Cli;

/// <summary>The <c>confkit</c> command tree: <c>run</c> (default), <c>list</c>, <c>coverage</c>; errors mapped to exit codes in one place.</summary>
internal sealed class KitApplication : IDisposable
{
    private readonly KitIo _io;
    private readonly RootCommand _root;
    private readonly CancellationTokenSource _interrupt = new();

    public KitApplication(KitIo io)
    {
        _io = io;
        KitPaths paths = KitPaths.Discover();
        _root = new RootCommand(HelpText.Root);
        RunCommand.Configure(_root, new KitOptions(withRunOptions: true), io, paths, Interruptible);
        _root.Add(RunCommand.Create(io, paths, Interruptible));
        _root.Add(ListCommand.Create(io, paths));
        _root.Add(CoverageCommand.Create(io, paths));
        _root.Add(StressCommand.Create(io, paths, Interruptible));
    }

    public async Task<int> RunAsync(string[] args)
    {
        ParseResult parse = _root.Parse(UsageText.CommandFirst(args, _root));
        if (parse.Errors.Count > 0)
        {
            // System.CommandLine would exit 1, which means "non-conformant" here; usage errors are 2, in one line.
            await _io.Error.WriteLineAsync($"confkit: {UsageText.FirstError(parse).TrimEnd('.')} (see `confkit --help`)");
            return ExitCodes.UsageOrEnvironment;
        }

        // Ctrl-C / SIGTERM cancel the run (the runner then stops its servers and probes); a second signal
        // is not cancelled, so KitCleanup's handler kills what is left and the runtime terminates the kit.
        KitCleanup.InstallHandlers();
        int signals = 0;
        void OnSignal(PosixSignalContext context)
        {
            if (Interlocked.Increment(ref signals) == 1)
            {
                context.Cancel = true;
                _io.Error.WriteLine("confkit: interrupted; stopping the server under test and cleaning up (Ctrl-C again to kill at once)");
                _interrupt.Cancel();
            }
        }

        using PosixSignalRegistration sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
        using PosixSignalRegistration sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
        var configuration = new InvocationConfiguration
        {
            Output = _io.Out,
            Error = _io.Error,
            ProcessTerminationTimeout = null,
            EnableDefaultExceptionHandler = false,
        };
        int code = await parse.InvokeAsync(configuration);
        if (_interrupt.IsCancellationRequested)
        {
            KitCleanup.RunAll();
        }

        return code;
    }

    /// <summary>Runs a command body, mapping the kit's exceptions to exit codes with a message on stderr.</summary>
    public static async Task<int> GuardAsync(KitIo io, Func<Task<int>> body)
    {
        try
        {
            return await body();
        }
        catch (UsageException ex)
        {
            await io.Error.WriteLineAsync("confkit: " + ex.Message);
            return ExitCodes.UsageOrEnvironment;
        }
        catch (KitEnvironmentException ex)
        {
            await io.Error.WriteLineAsync("confkit: environment error: " + ex.Message);
            return ExitCodes.UsageOrEnvironment;
        }
        catch (ScenarioLoadException ex)
        {
            await io.Error.WriteLineAsync("confkit: " + ex.Message);
            return ExitCodes.UsageOrEnvironment;
        }
        catch (ServerStartException ex)
        {
            await io.Error.WriteLineAsync("confkit: the server under test failed to start: " + ex.Message);
            if (ex.StderrTail.Length > 0)
            {
                await io.Error.WriteLineAsync("server stderr (tail):\n" + ex.StderrTail);
            }

            return ExitCodes.ServerFailed;
        }
        catch (OperationCanceledException)
        {
            await io.Error.WriteLineAsync("confkit: interrupted.");
            return ExitCodes.Interrupted;
        }
    }

    public void Dispose() => _interrupt.Dispose();

    private CancellationToken Interruptible(CancellationToken cancellationToken) =>
        CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _interrupt.Token).Token;
}
