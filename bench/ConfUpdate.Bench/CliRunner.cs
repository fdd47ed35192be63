using System.Diagnostics;
using CliWrap;
using CliWrap.Buffered;
using ConfUpdate.Harness.Environment;

namespace ConfUpdate.Bench;

/// <summary>Runs the staged CLI as another account (setpriv, via the harness's <see cref="UserSwitch"/>) and times it.</summary>
internal sealed class CliRunner(UserSwitch userSwitch, UnixAccount account, string dotnet, string cliDll, string inputDirectory)
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(60);

    /// <summary>Writes a world-readable input file for <c>--file</c> and returns its path.</summary>
    public string WriteInput(byte[] content)
    {
        string path = Path.Combine(inputDirectory, "input-" + Guid.NewGuid().ToString("N")[..8]);
        File.WriteAllBytes(path, content);
        File.SetUnixFileMode(path, KitConfigFile.ParseMode("0644"));
        return path;
    }

    /// <summary>Times <c>confupdate --socket S update TARGET --file INPUT</c> from spawn to exit; the account switch is included.</summary>
    /// <exception cref="BenchFailureException">The CLI did not exit 0 or did not finish within a minute.</exception>
    public async Task<TimeSpan> UpdateAsync(string socketPath, string target, string inputFile, CancellationToken cancellationToken = default)
    {
        string[] arguments = [cliDll, "--socket", socketPath, "update", target, "--file", inputFile];
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(s_timeout);
        var stopwatch = Stopwatch.StartNew();
        BufferedCommandResult result;
        try
        {
            result = await userSwitch.Wrap(account, dotnet, arguments)
                .WithStandardInputPipe(PipeSource.Null)
                .ExecuteBufferedAsync(timeout.Token)
                .ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new BenchFailureException($"`{userSwitch.Describe(account, dotnet, arguments)}` did not finish within {s_timeout.TotalSeconds} s.");
        }

        TimeSpan elapsed = stopwatch.Elapsed;
        if (result.ExitCode != 0)
        {
            throw new BenchFailureException(
                $"`{userSwitch.Describe(account, dotnet, arguments)}` exited {result.ExitCode}; expected 0. "
                + $"stdout: {result.StandardOutput.Trim()} stderr: {result.StandardError.Trim()}");
        }

        return elapsed;
    }
}
