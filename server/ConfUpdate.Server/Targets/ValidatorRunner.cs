using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;

namespace ConfUpdate.Server.Targets;

/// <summary>
/// Runs a target's validator on the candidate file (SPEC TGT-4): an argument vector with <c>{file}</c>
/// replaced, no shell, no PATH search, a minimal environment, standard input from <c>/dev/null</c>
/// (the server points its own fd 0 there at start, and the child inherits it), a timeout after which
/// the whole process tree is killed. Our own descriptors are close-on-exec, so it inherits none (TRANS-4).
/// </summary>
internal static class ValidatorRunner
{
    /// <summary>How much output is kept for the reply detail.</summary>
    public const int MaxOutputBytes = 512;

    /// <summary>The placeholder replaced by the candidate file's path.</summary>
    public const string FilePlaceholder = "{file}";

    /// <summary>Runs the validator and reports how it ended. Never throws for the validator's own failures.</summary>
    public static async Task<ValidatorResult> RunAsync(IReadOnlyList<string> argv, string candidatePath, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(argv);
        var start = new ProcessStartInfo(argv[0])
        {
            UseShellExecute = false,
            RedirectStandardInput = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = "/",
        };
        for (int i = 1; i < argv.Count; i++)
        {
            start.ArgumentList.Add(argv[i].Replace(FilePlaceholder, candidatePath, StringComparison.Ordinal));
        }

        // A privileged server hands its validator a clean, predictable environment.
        start.Environment.Clear();
        start.Environment["PATH"] = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
        start.Environment["LC_ALL"] = "C";

        using var process = new Process { StartInfo = start };
        try
        {
            process.Start();
        }
        catch (Exception ex) when (ex is Win32Exception or InvalidOperationException or IOException)
        {
            return new ValidatorResult(false, false, $"validator {argv[0]} could not start: {ex.Message}", []);
        }

        var output = new BoundedBuffer(MaxOutputBytes);
        Task stdout = output.DrainAsync(process.StandardOutput.BaseStream);
        Task stderr = output.DrainAsync(process.StandardError.BaseStream);
        using var timer = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timer.CancelAfter(timeout);
        try
        {
            await process.WaitForExitAsync(timer.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
            await DrainQuietly(stdout, stderr).ConfigureAwait(false);
            return new ValidatorResult(false, true, $"validator timed out after {timeout.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s and was killed", output.ToArray());
        }

        await DrainQuietly(stdout, stderr).ConfigureAwait(false);
        int code = process.ExitCode;
        // .NET reports death by signal N as 128 + N, as shells do.
        string summary = code > 128 ? $"validator exit status {code} (killed by signal {code - 128}?)" : $"validator exit status {code}";
        return new ValidatorResult(code == 0, true, summary, output.ToArray());
    }

    private static async Task DrainQuietly(Task stdout, Task stderr)
    {
        // A grandchild that keeps the pipes open must not hold the request: give the readers a moment.
        await Task.WhenAny(Task.WhenAll(stdout, stderr), Task.Delay(TimeSpan.FromSeconds(1))).ConfigureAwait(false);
    }

    /// <summary>Keeps the first bytes of the merged output and discards the rest, so a chatty validator cannot block on a full pipe.</summary>
    private sealed class BoundedBuffer(int capacity)
    {
        private readonly byte[] _data = new byte[capacity];
        private readonly Lock _lock = new();
        private int _length;

        public async Task DrainAsync(Stream stream)
        {
            byte[] chunk = new byte[4096];
            try
            {
                int read;
                while ((read = await stream.ReadAsync(chunk).ConfigureAwait(false)) > 0)
                {
                    lock (_lock)
                    {
                        int keep = Math.Min(read, _data.Length - _length);
                        Array.Copy(chunk, 0, _data, _length, keep);
                        _length += keep;
                    }
                }
            }
            catch (IOException)
            {
                // The pipe broke: what arrived so far is all there is.
            }
            catch (ObjectDisposedException)
            {
                // The process object was disposed while a reader lingered.
            }
        }

        public byte[] ToArray()
        {
            lock (_lock)
            {
                return _data.AsSpan(0, _length).ToArray();
            }
        }
    }
}
