using ConfUpdate.Harness.Environment;

namespace ConfUpdate.Harness.Stress;

/// <summary>
/// Runs the selected reliability checks one after the other, each against a server of its own, and
/// yields their results; it never writes to the console (the caller displays <see cref="StressProgress"/>).
/// A check the kit could not carry out is an error result, not an exception.
/// </summary>
public static class StressRunner
{
    /// <summary>Runs every check in <see cref="StressOptions.Checks"/>.</summary>
    public static async IAsyncEnumerable<StressResult> RunAsync(
        StressOptions options, IProgress<StressProgress> progress, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(progress);
        foreach (StressCheck check in options.Checks)
        {
            StressResult result;
            try
            {
                result = check switch
                {
                    StressCheck.Crash => await CrashCheck.RunAsync(options, progress, cancellationToken).ConfigureAwait(false),
                    StressCheck.Fuzz => await FuzzCheck.RunAsync(options, progress, cancellationToken).ConfigureAwait(false),
                    StressCheck.Attack => await AttackCheck.RunAsync(options, progress, cancellationToken).ConfigureAwait(false),
                    StressCheck.Hygiene => await HygieneCheck.RunAsync(options, progress, cancellationToken).ConfigureAwait(false),
                    _ => throw new ArgumentOutOfRangeException(nameof(options), check, "unknown check"),
                };
            }
            catch (Exception ex) when (ex is ServerStartException or IOException or System.Net.Sockets.SocketException or TimeoutException or InvalidOperationException)
            {
                // A server that will not start again after a kill is a finding of the crash check, not a kit error.
                bool serverFault = ex is ServerStartException or TimeoutException or System.Net.Sockets.SocketException;
                result = new StressResult(check, Requirements(check))
                {
                    Summary = $"{(serverFault ? "failed" : "could not run")}: {ex.Message}",
                    Failures = serverFault ? [ex.Message] : [],
                    Error = serverFault ? null : ex.Message,
                };
            }

            yield return result;
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
