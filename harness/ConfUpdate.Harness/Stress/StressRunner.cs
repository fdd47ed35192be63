using ConfUpdate.Harness.Environment;

namespace ConfUpdate.Harness.Stress;

/// <summary>
/// Runs the selected reliability checks one after the other, each against a server of its own, and
/// yields their results; it never writes to the console (the caller displays <see cref="StressProgress"/>).
/// A check the kit could not carry out is an error result, not an exception.
/// </summary>
public static class StressRunner
{
    /// <summary>
    /// Runs every check in <see cref="StressOptions.Checks"/> and yields the results in that order. The
    /// crash check spends most of its time waiting for restarts and fsyncs, so it runs beside the fuzz and
    /// hygiene checks (each has a server of its own); the attack check measures latency, so it runs alone.
    /// </summary>
    public static async IAsyncEnumerable<StressResult> RunAsync(
        StressOptions options, IProgress<StressProgress> progress, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(progress);
        var results = new Dictionary<StressCheck, StressResult>();
        StressCheck[] beside = [.. options.Checks.Where(c => c is StressCheck.Fuzz or StressCheck.Hygiene)];
        Task<StressResult>? crash = options.Checks.Contains(StressCheck.Crash) ? RunOneAsync(StressCheck.Crash, options, progress, cancellationToken) : null;
        foreach (StressCheck check in beside)
        {
            results[check] = await RunOneAsync(check, options, progress, cancellationToken).ConfigureAwait(false);
        }

        if (crash is not null)
        {
            results[StressCheck.Crash] = await crash.ConfigureAwait(false);
        }

        if (options.Checks.Contains(StressCheck.Attack))
        {
            results[StressCheck.Attack] = await RunOneAsync(StressCheck.Attack, options, progress, cancellationToken).ConfigureAwait(false);
        }

        foreach (StressCheck check in options.Checks)
        {
            yield return results[check];
        }
    }

    private static async Task<StressResult> RunOneAsync(StressCheck check, StressOptions options, IProgress<StressProgress> progress, CancellationToken cancellationToken)
    {
        try
        {
            return check switch
            {
                StressCheck.Crash => await CrashCheck.RunAsync(options, progress, cancellationToken).ConfigureAwait(false),
                StressCheck.Fuzz => await FuzzCheck.RunAsync(options, progress, cancellationToken).ConfigureAwait(false),
                StressCheck.Attack => await AttackCheck.RunAsync(options, progress, cancellationToken).ConfigureAwait(false),
                StressCheck.Hygiene => await HygieneCheck.RunAsync(options, progress, cancellationToken).ConfigureAwait(false),
                _ => throw new ArgumentOutOfRangeException(nameof(check), check, "unknown check"),
            };
        }
        catch (Exception ex) when (ex is ServerStartException or IOException or System.Net.Sockets.SocketException or TimeoutException or InvalidOperationException)
        {
            // A server that will not start again after a kill, or stops answering, is a finding, not a kit error.
            bool serverFault = ex is ServerStartException or TimeoutException or System.Net.Sockets.SocketException;
            return new StressResult(check, Requirements(check))
            {
                Summary = $"{(serverFault ? "failed" : "could not run")}: {ex.Message}",
                Failures = serverFault ? [ex.Message] : [],
                Error = serverFault ? null : ex.Message,
            };
        }
    }

    /// <summary>The SPEC requirements a check exercises.</summary>
    public static IReadOnlyList<string> Requirements(StressCheck check) => check switch
    {
        StressCheck.Crash => CrashCheck.Requirements,
        StressCheck.Fuzz => FuzzCheck.Requirements,
        StressCheck.Attack => AttackCheck.Requirements,
        _ => HygieneCheck.Requirements,
    };
}
