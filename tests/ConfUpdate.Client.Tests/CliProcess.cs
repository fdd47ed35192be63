using System.Diagnostics;
using CliWrap;
using CliWrap.Buffered;
using ConfUpdate.Harness.Environment;

namespace ConfUpdate.Client.Tests;

/// <summary>Runs the real <c>confupdate</c> CLI (built next to the tests) as a separate process.</summary>
internal static class CliProcess
{
    /// <summary>The ProjectReference copies confupdate.dll, its deps.json and runtimeconfig.json here.</summary>
    public static string DllPath { get; } = Path.Combine(AppContext.BaseDirectory, "confupdate.dll");

    /// <summary>
    /// A world-readable copy of the CLI's own build output, made on first use, for runs as another uid: the checkout
    /// may be under a directory that account cannot enter (a clone in root's 0700 home). Not this directory's copy:
    /// under coverage collection, coverlet instruments the assemblies here, and an instrumented CLI run as another
    /// uid crashes writing its hit file into one root created. Deleted by <see cref="StagedCliCleanup"/>.
    /// </summary>
    private static readonly Lazy<StagingDirectory> s_staged = new(() =>
    {
        var staging = new StagingDirectory(prefix: "cu-client-cli-");
        staging.Stage(CliOutputDirectory(), "cli");
        return staging;
    });

    /// <summary>The dotnet host, absolute, so that it also runs under setpriv as another account.</summary>
    private static string DotnetHost { get; } = ConfUpdate.Harness.Environment.DotnetHost.Find();

    /// <summary>Unprivileged account used to see what a denied user sees (created by scripts/setup-test-users.sh).</summary>
    public const uint NobodyUid = 65534;

    /// <param name="args">confupdate's arguments.</param>
    /// <param name="stdin">Bytes piped to standard input (empty when null).</param>
    /// <param name="asUid">Run under this uid and gid via setpriv (the tests run as root).</param>
    /// <param name="socketVariable">Value of CONFUPDATE_SOCKET; unset when null.</param>
    public static async Task<BufferedCommandResult> RunAsync(
        IEnumerable<string> args, CancellationToken cancellationToken, byte[]? stdin = null, uint? asUid = null, string? socketVariable = null)
    {
        var arguments = new List<string>();
        string program = DotnetHost;
        if (asUid is { } uid)
        {
            arguments.AddRange([$"--reuid={uid}", $"--regid={uid}", "--clear-groups", program]);
            program = "setpriv";
        }

        arguments.Add(asUid is null ? DllPath : Path.Combine(s_staged.Value.Path, "cli", "confupdate.dll"));
        arguments.AddRange(args);

        // CliWrap kills the process if the token fires, so a hung CLI cannot outlive the test.
        return await CliWrap.Cli.Wrap(program)
            .WithArguments(arguments)
            // A directory every account can enter (the test's own may be under a 0700 home).
            .WithWorkingDirectory("/")
            .WithStandardInputPipe(PipeSource.FromBytes(stdin ?? []))
            .WithEnvironmentVariables(env => env
                .Set("CONFUPDATE_SOCKET", socketVariable)
                .Set("DOTNET_CLI_HOME", "/tmp")
                .Set("HOME", "/tmp")
                .Set("DOTNET_NOLOGO", "1"))
            .WithValidation(CommandResultValidation.None)
            .ExecuteBufferedAsync(cancellationToken);
    }

    /// <summary>Starts the CLI without waiting, for tests that signal it; the caller kills it in finally.</summary>
    public static Process Start(IEnumerable<string> args)
    {
        var start = new ProcessStartInfo(DotnetHost)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(DllPath);
        foreach (string arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["DOTNET_NOLOGO"] = "1";
        return Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start.");
    }

    /// <summary>client/ConfUpdate.Cli/bin/CONFIGURATION/net10.0 of the checkout this test assembly was built in.</summary>
    private static string CliOutputDirectory()
    {
        var output = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd('/'));
        string framework = output.Name;
        string configuration = output.Parent?.Name ?? "Release";
        for (DirectoryInfo? dir = output; dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "ConformanceKit.sln")))
            {
                return Path.Combine(dir.FullName, "client", "ConfUpdate.Cli", "bin", configuration, framework);
            }
        }

        throw new InvalidOperationException($"No ConformanceKit.sln above {AppContext.BaseDirectory}.");
    }

    /// <summary>Deletes the staged copy, if one was made.</summary>
    internal static void DeleteStagedCopy()
    {
        if (s_staged.IsValueCreated)
        {
            s_staged.Value.Dispose();
        }
    }

    /// <summary>Sends a signal with kill(1) (.NET can only send SIGKILL).</summary>
    public static async Task SignalAsync(Process process, string signal, CancellationToken cancellationToken) =>
        await CliWrap.Cli.Wrap("kill").WithArguments([$"-{signal}", process.Id.ToString()]).ExecuteAsync(cancellationToken);
}
