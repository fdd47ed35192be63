using System.Diagnostics;
using System.Globalization;
using CliWrap;
using CliWrap.Buffered;

namespace ConfUpdate.Bench;

/// <summary>
/// The C programs bench/run-bench.sh builds with gcc from bench/native: the physical-limit baselines
/// (<c>echo-server</c>, <c>durable-loop</c>) and the one driver every server is measured with (<c>client</c>),
/// so that each server sees exactly the same system calls from its client.
/// </summary>
/// <param name="EchoServer">The SOCK_SEQPACKET echo server.</param>
/// <param name="DurableLoop">The DUR-1 replacement loop.</param>
/// <param name="Client">The driver.</param>
internal sealed record NativeTools(string EchoServer, string DurableLoop, string Client)
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromMinutes(2);

    /// <summary>Finds the three programs in <paramref name="directory"/>.</summary>
    /// <exception cref="BenchSetupException">One is missing.</exception>
    public static NativeTools Locate(string directory)
    {
        var tools = new NativeTools(Path.Combine(directory, "echo-server"), Path.Combine(directory, "durable-loop"), Path.Combine(directory, "client"));
        string[] missing = [.. new[] { tools.EchoServer, tools.DurableLoop, tools.Client }.Where(p => !File.Exists(p))];
        if (missing.Length > 0)
        {
            throw new BenchSetupException($"C programs not built: {string.Join(", ", missing)}; bench/run-bench.sh compiles them from bench/native with gcc.");
        }

        return tools;
    }

    /// <summary>Runs the driver pinned to <paramref name="cpus"/> and returns the numbers of its one output line.</summary>
    /// <exception cref="BenchFailureException">It did not exit 0 (a reply was not OK, a server did not start, ...).</exception>
    public async Task<double[]> ClientAsync(string cpus, IReadOnlyList<string> arguments, CancellationToken cancellationToken = default) =>
        await RunAsync(cpus, [Client, .. arguments], cancellationToken).ConfigureAwait(false);

    /// <summary>Runs the durable-write loop pinned to <paramref name="cpus"/>: replacements per second.</summary>
    public async Task<double> DurableLoopAsync(string cpus, string directory, int threads, double seconds, int size, CancellationToken cancellationToken = default)
    {
        double[] numbers = await RunAsync(cpus,
            [DurableLoop, directory, Invariant(threads), Invariant(seconds), Invariant(size)], cancellationToken).ConfigureAwait(false);
        return numbers[2];
    }

    /// <summary>
    /// Opens <paramref name="count"/> idle connections (one HELLO each) with the driver, calls
    /// <paramref name="whileOpen"/>, closes them, and returns when the driver has.
    /// </summary>
    public async Task IdleConnectionsAsync(string cpus, string socket, int count, Action whileOpen, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(whileOpen);
        var start = new ProcessStartInfo("taskset")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (string argument in (string[])["-c", cpus, Client, "idle", socket, Invariant(count)])
        {
            start.ArgumentList.Add(argument);
        }

        using Process process = Process.Start(start) ?? throw new BenchFailureException("cannot start the C client");
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(s_timeout);
        try
        {
            string? ready = await process.StandardOutput.ReadLineAsync(timeout.Token).ConfigureAwait(false);
            if (ready != "ready")
            {
                string error = await process.StandardError.ReadToEndAsync(timeout.Token).ConfigureAwait(false);
                throw new BenchFailureException($"the C client did not open {count} connections to {socket}: {error.Trim()}");
            }

            whileOpen();
            await process.StandardInput.WriteLineAsync("close".AsMemory(), timeout.Token).ConfigureAwait(false);
            await process.StandardInput.FlushAsync(timeout.Token).ConfigureAwait(false);
            _ = await process.StandardOutput.ReadLineAsync(timeout.Token).ConfigureAwait(false);
            await process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill();
            }
        }
    }

    private static async Task<double[]> RunAsync(string cpus, IReadOnlyList<string> command, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(s_timeout);
        BufferedCommandResult result;
        try
        {
            result = await Cli.Wrap("taskset")
                .WithArguments(Placement.Pinned(cpus, command).Skip(1))
                .WithValidation(CommandResultValidation.None)
                .ExecuteBufferedAsync(timeout.Token)
                .ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new BenchFailureException($"`{string.Join(' ', command)}` did not finish within {s_timeout.TotalSeconds} s.");
        }

        if (result.ExitCode != 0)
        {
            throw new BenchFailureException($"`{string.Join(' ', command)}` exited {result.ExitCode}: {result.StandardError.Trim()}");
        }

        return [.. result.StandardOutput.Split((char[])[' ', '\n'], StringSplitOptions.RemoveEmptyEntries)
            .Select(word => double.Parse(word, CultureInfo.InvariantCulture))];
    }

    private static string Invariant(double value) => value.ToString(CultureInfo.InvariantCulture);
}
