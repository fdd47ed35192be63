using System.Diagnostics;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Threading.Channels;
using ConfUpdate.Harness.Checks;
using ConfUpdate.Harness.Environment;
using ConfUpdate.Harness.Probe;
using ConfUpdate.Harness.Scenarios;
using ConfUpdate.Protocol;

namespace ConfUpdate.Harness.Running;

/// <summary>
/// Runs scenarios against a server under test and yields a result per scenario as it finishes. Never writes
/// to the console and never exits the process: reporting is the caller's job.
/// Scenarios without server changes share one server (each with its own targets in its own directory)
/// and run in parallel; scenarios that change or stop the server get a server of their own; scenarios
/// that count the server's descriptors run alone on the shared one, after the others.
/// </summary>
public sealed partial class ScenarioRunner
{
    // The shared server serves many scenarios at once, so its connection caps are raised well above the
    // kit's defaults; scenarios that test the caps configure their own server (SPEC CONN-3).
    private const int SharedMaxConnections = 512;
    private const int SharedMaxConnectionsPerUid = 256;
    // Long enough that a loaded 2-core machine never closes a connection a scenario is still using;
    // the idle-timeout scenarios ask for a short one on a server of their own (SPEC CONN-2).
    private const int DefaultIdleTimeoutSeconds = 30;
    private const int DefaultMaxConnections = 16;

    // Linux's default net.core.wmem_default: the `sndbuf` size until a probe's connect reports SO_SNDBUF.
    private const int DefaultSendBuffer = 212992;
    private const int DefaultMaxConnectionsPerUid = 4;

    // Shorter than the spec's 10 s default so that the validator-timeout scenario stays quick.
    private const int DefaultValidatorTimeoutSeconds = 2;

    private readonly RunOptions _options;

    /// <summary>Creates a runner.</summary>
    public ScenarioRunner(RunOptions options) => _options = options ?? throw new ArgumentNullException(nameof(options));

    /// <summary>What the shared server answered to the kit's HELLO (its name and version), once it is known.</summary>
    public HelloInfo? ServerHello { get; private set; }

    /// <summary>Runs the scenarios; results arrive in completion order.</summary>
    public async IAsyncEnumerable<ScenarioResult> RunAsync(IReadOnlyList<Scenario> scenarios, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(scenarios);
        var channel = Channel.CreateUnbounded<ScenarioResult>();
        Task run = Task.Run(async () =>
        {
            try
            {
                await ExecuteAllAsync(scenarios, channel.Writer, cancellationToken).ConfigureAwait(false);
                channel.Writer.TryComplete();
            }
            catch (Exception ex)
            {
                channel.Writer.TryComplete(ex);
            }
        }, CancellationToken.None);

        await foreach (ScenarioResult result in channel.Reader.ReadAllAsync(CancellationToken.None).ConfigureAwait(false))
        {
            yield return result;
        }

        await run.ConfigureAwait(false);
    }

    private async Task ExecuteAllAsync(IReadOnlyList<Scenario> scenarios, ChannelWriter<ScenarioResult> results, CancellationToken cancellationToken)
    {
        string runDirectory = Path.Combine(_options.WorkRoot, "confkit-run-" + Guid.NewGuid().ToString("N")[..10]);
        Directory.CreateDirectory(runDirectory);
        UnixFiles.SetMode(runDirectory, UnixFiles.Mode0755);
        using IDisposable cleanup = KitCleanup.RegisterDirectory(runDirectory);
        IReadOnlyDictionary<string, UnixAccount> accounts = ResolveAccounts();
        await using var probes = new ProbePool(_options.UserSwitch, _options.ProbeCommand);
        await using var shared = new ServerHost(new ServerLaunch(_options.ServerCommand, Path.Combine(runDirectory, "shared.sock"), Path.Combine(runDirectory, "shared.json"))
        {
            ReadyTimeout = _options.ServerReadyTimeout,
        });
        try
        {
            var contexts = scenarios.Select((scenario, i) => new ScenarioContext
            {
                Scenario = scenario,
                Key = "s" + i.ToString(CultureInfo.InvariantCulture),
                Directory = Path.Combine(runDirectory, "s" + i.ToString(CultureInfo.InvariantCulture)),
                Options = _options,
                Accounts = accounts,
                Sizes = new SizeContext(scenario.Server?.MaxRequestSize ?? ScenarioPreparation.DefaultMaxRequestSize, DefaultSendBuffer),
                Server = shared,
                Probes = probes.For,
            }).ToList();

            List<ScenarioContext> onShared = contexts.Where(c => !c.Scenario.NeedsOwnServer).ToList();
            // Scenarios with their own server need nothing from the shared one, so they start while it does
            // (its start-up is most of a second of waiting on a 2-core machine).
            Task<string?> sharedStart = onShared.Count == 0 ? Task.FromResult<string?>(null) : StartSharedAsync(shared, onShared, accounts, probes, cancellationToken);

            using var gate = new SemaphoreSlim(Math.Max(1, _options.Parallelism));
            // Scenarios with their own server are the long poles (a server start each): begin with them.
            var parallel = contexts.Where(c => c.Scenario.NeedsOwnServer || !c.Scenario.NeedsExclusiveServer)
                .OrderBy(c => c.Scenario.NeedsOwnServer ? 0 : 1).Select(async context =>
            {
                string? sharedFailure = context.Scenario.NeedsOwnServer ? null : await sharedStart.ConfigureAwait(false);
                await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
                try
                {
                    await results.WriteAsync(await RunOneAsync(context, sharedFailure, cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
                }
                finally
                {
                    gate.Release();
                }
            }).ToList();
            await Task.WhenAll(parallel).ConfigureAwait(false);
            string? exclusiveSharedFailure = await sharedStart.ConfigureAwait(false);

            foreach (ScenarioContext context in contexts.Where(c => !c.Scenario.NeedsOwnServer && c.Scenario.NeedsExclusiveServer))
            {
                await results.WriteAsync(await RunOneAsync(context, exclusiveSharedFailure, cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            await shared.DisposeAsync().ConfigureAwait(false);
            await probes.DisposeAsync().ConfigureAwait(false);
            TryDelete(runDirectory);
        }
    }

    private Dictionary<string, UnixAccount> ResolveAccounts()
    {
        var accounts = new Dictionary<string, UnixAccount>(StringComparer.Ordinal);
        foreach ((string role, string name) in _options.Roles)
        {
            try
            {
                accounts[role] = UnixAccount.Lookup(name);
            }
            catch (KitEnvironmentException)
            {
                // A scenario acting as this role reports the missing account; the others run.
            }
        }

        return accounts;
    }

    private async Task<string?> StartSharedAsync(ServerHost shared, List<ScenarioContext> contexts, IReadOnlyDictionary<string, UnixAccount> accounts, ProbePool probes, CancellationToken cancellationToken)
    {
        var targets = new List<KitTargetConfig>();
        try
        {
            foreach (ScenarioContext context in contexts)
            {
                ScenarioPreparation.CreateDirectories(context);
                ScenarioPreparation.CreateTargets(context);
                targets.AddRange(ScenarioPreparation.TargetConfigs(context));
            }

            ScenarioContext first = contexts[0];
            var config = new KitConfigFile(
                new KitSocketConfig(shared.SocketPath) { Mode = UnixFiles.Mode0666 },
                ScenarioPreparation.Allow(first, null),
                targets)
            {
                MaxRequestSize = ScenarioPreparation.DefaultMaxRequestSize,
                Limits = new KitLimitsConfig
                {
                    IdleTimeoutSeconds = DefaultIdleTimeoutSeconds,
                    MaxConnections = SharedMaxConnections,
                    MaxConnectionsPerUid = SharedMaxConnectionsPerUid,
                    ShutdownGraceSeconds = 2,
                    ValidatorTimeoutSeconds = DefaultValidatorTimeoutSeconds,
                },
            };
            config.WriteTo(Path.Combine(Path.GetDirectoryName(shared.SocketPath)!, "shared.json"));
            await shared.StartAsync(cancellationToken).ConfigureAwait(false);

            // Learn the announced maximum and the send buffer once, as the allowed identity.
            (SizeContext sizes, ServerHello) = await ProbeSizesAsync(probes.For(accounts["allowed"]), shared.SocketPath, cancellationToken).ConfigureAwait(false);
            foreach (ScenarioContext context in contexts)
            {
                context.Sizes = sizes;
            }

            return null;
        }
        catch (Exception ex) when (ex is ServerStartException or KitEnvironmentException or IOException or InvalidOperationException or KeyNotFoundException or UnauthorizedAccessException)
        {
            return $"the shared server under test did not start: {ex.Message}";
        }
    }

    private async Task<ScenarioResult> RunOneAsync(ScenarioContext context, string? sharedFailure, CancellationToken cancellationToken)
    {
        long started = Stopwatch.GetTimestamp();
        var clock = Stopwatch.StartNew();
        context.RestartClock();
        var failures = new List<string>();
        (string Expected, string Actual, string Reason)? mismatch = null;
        bool error = false;
        bool serverFailed = false;
        ProbePool? ownProbes = null;
        ServerHost? own = null;
        ScenarioContext ctx = context;
        try
        {
            if (context.Scenario.NeedsOwnProbes)
            {
                ownProbes = new ProbePool(_options.UserSwitch, _options.ProbeCommand);
                ctx = CopyWith(context, context.Server, ownProbes.For);
            }

            int? fdBaseline = null;
            if (context.Scenario.NeedsOwnServer)
            {
                string command = context.Scenario.Server?.SocketActivated == true ? SocketActivation.Wrap(_options.ServerCommand) : _options.ServerCommand;
                own = new ServerHost(new ServerLaunch(command, Path.Combine(context.Directory, "s.sock"), Path.Combine(context.Directory, "config.json"))
                {
                    ReadyTimeout = context.Scenario.Server?.ExpectStart == "fail" ? TimeSpan.FromSeconds(5) : _options.ServerReadyTimeout,
                });
                ctx = CopyWith(ctx, own, ctx.Probes);
                string? startFailure = await StartOwnAsync(ctx, cancellationToken).ConfigureAwait(false);
                if (startFailure is not null)
                {
                    failures.Add(startFailure);
                    error = serverFailed = true;
                }
            }
            else if (sharedFailure is not null)
            {
                failures.Add(sharedFailure);
                error = serverFailed = true;
            }

            if (!error)
            {
                if (ctx.Scenario.NeedsExclusiveServer && ctx.Server.Process is { HasExited: false } process)
                {
                    fdBaseline = process.CountOpenFileDescriptors();
                }

                var executor = new StepExecutor(ctx);
                await executor.RunAsync(ctx.Scenario.Steps, 0, cancellationToken).ConfigureAwait(false);
                mismatch = executor.Mismatch;
                if (mismatch is { } m)
                {
                    failures.Add(m.Reason);
                }

                // Leftover connections are closed before the checks, so that descriptor counts can settle.
                await executor.CloseLeftoversAsync(cancellationToken).ConfigureAwait(false);
                failures.AddRange(await CheckRunner.RunAsync(ctx, fdBaseline, cancellationToken).ConfigureAwait(false));
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex)
        {
            // A kit problem (probe died, environment), reported as this scenario's error, never thrown.
            failures.Add($"kit error: {ex.GetType().Name}: {ex.Message}");
            error = true;
        }
        finally
        {
            if (ownProbes is not null)
            {
                await ownProbes.DisposeAsync().ConfigureAwait(false);
            }
        }

        // A server of its own wrote only this scenario's lines; the shared one serves scenarios in parallel, so
        // its tail is cut to this scenario's time window, without the lines that name another scenario's target.
        string stderr = own is not null
            ? ctx.Server.StderrTail(_options.StderrTailLines)
            : ctx.Server.StderrTail(_options.StderrTailLines, started, line => !StderrAttribution.NamesOtherScenario(line, context.Key));
        if (own is not null)
        {
            await own.DisposeAsync().ConfigureAwait(false);
        }

        return new ScenarioResult
        {
            Scenario = context.Scenario,
            Outcome = error ? ScenarioOutcome.Error : failures.Count > 0 ? ScenarioOutcome.Fail : ScenarioOutcome.Pass,
            Failures = failures,
            Expected = mismatch?.Expected,
            Actual = mismatch?.Actual,
            Transcript = ctx.Transcript,
            ServerStderrTail = stderr,
            RerunCommand = _options.RerunTemplate.Replace("{id}", context.Scenario.Id, StringComparison.Ordinal),
            Duration = clock.Elapsed,
            ServerFailed = serverFailed,
        };
    }

    private async Task<string?> StartOwnAsync(ScenarioContext ctx, CancellationToken cancellationToken)
    {
        ServerSetup setup = ctx.Scenario.Server ?? new ServerSetup();
        ScenarioPreparation.CreateDirectories(ctx);
        ScenarioPreparation.CreateTargets(ctx);
        var config = new KitConfigFile(
            new KitSocketConfig(ctx.Server.SocketPath)
            {
                Mode = (UnixFileMode)Convert.ToInt32(setup.SocketMode ?? "0666", 8),
                Owner = setup.SocketOwner is null ? null : ctx.Expand(setup.SocketOwner),
                Group = setup.SocketGroup is null ? null : ctx.Expand(setup.SocketGroup),
            },
            ScenarioPreparation.Allow(ctx, setup.Allow),
            [.. ScenarioPreparation.TargetConfigs(ctx)])
        {
            MaxRequestSize = setup.MaxRequestSize ?? ScenarioPreparation.DefaultMaxRequestSize,
            Limits = new KitLimitsConfig
            {
                IdleTimeoutSeconds = setup.Limits?.IdleTimeoutSeconds ?? DefaultIdleTimeoutSeconds,
                MaxConnections = setup.Limits?.MaxConnections ?? DefaultMaxConnections,
                MaxConnectionsPerUid = setup.Limits?.MaxConnectionsPerUid ?? DefaultMaxConnectionsPerUid,
                ShutdownGraceSeconds = setup.Limits?.ShutdownGraceSeconds ?? 2,
                ValidatorTimeoutSeconds = setup.Limits?.ValidatorTimeoutSeconds ?? DefaultValidatorTimeoutSeconds,
            },
            UnknownKey = ScenarioPreparation.UnknownKey(setup.UnknownKey),
        };
        config.WriteTo(Path.Combine(ctx.Directory, "config.json"));
        ScenarioPreparation.PreStart(ctx, setup.PreStart);
        if (setup.ExpectStart == "fail")
        {
            bool exited = await ctx.Server.RunExpectingExitAsync(_options.RefusalTimeout, cancellationToken).ConfigureAwait(false);
            ctx.Log("kit", "!", exited ? $"server exited with {ctx.Server.LastExitCode}" : $"server still running after {_options.RefusalTimeout.TotalSeconds:0} s (killed)");
            return null;
        }

        try
        {
            await ctx.Server.StartAsync(cancellationToken).ConfigureAwait(false);
            ctx.Log("kit", "!", $"server ready (pid {ctx.Server.Pid})");
            if (setup.SocketActivated)
            {
                // The activator listens at once and execs the server on the first connection (the readiness one).
                SocketActivation.OpenSocketFile(ctx.Server.SocketPath);
                ctx.Log("kit", "!", $"socket-activated: {SocketActivation.ActivatorName} owns {ctx.Server.SocketPath}, opened to every role");
            }

            return null;
        }
        catch (ServerStartException ex)
        {
            ctx.Log("kit", "!", $"server did not start: {ex.Message}");
            return $"the server under test did not start: {ex.Message}";
        }
    }

    private static ScenarioContext CopyWith(ScenarioContext context, ServerHost server, Func<UnixAccount, ProbeClient> probes) => new()
    {
        Scenario = context.Scenario,
        Key = context.Key,
        Directory = context.Directory,
        Options = context.Options,
        Accounts = context.Accounts,
        Sizes = context.Sizes,
        Server = server,
        Probes = probes,
    };

    private static void TryDelete(string directory)
    {
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
            // Best effort; KitCleanup retries at exit.
        }
        catch (UnauthorizedAccessException)
        {
            // Best effort.
        }
    }
}
