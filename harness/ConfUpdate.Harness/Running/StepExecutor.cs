using System.Globalization;
using System.Text;
using CliWrap;
using CliWrap.Buffered;
using ConfUpdate.Harness.Environment;
using ConfUpdate.Harness.Probe;
using ConfUpdate.Harness.Scenarios;
using DatagramSpec = ConfUpdate.Harness.Scenarios.DatagramSpec;

namespace ConfUpdate.Harness.Running;

/// <summary>Carries out steps through the probes, the client CLI and the server host, and compares outcomes.</summary>
internal sealed class StepExecutor(ScenarioContext context)
{
    /// <summary>The first mismatch: (expected, actual, reason); null while all steps match.</summary>
    public (string Expected, string Actual, string Reason)? Mismatch { get; private set; }

    // The client CLI is a whole .NET process start (plus a user switch): it gets at least this long.
    private const int ClientMinimumTimeoutMs = 10_000;

    private readonly Lock _lock = new();

    private int Wait(ScenarioStep step) => context.Options.ScaledTimeoutMs(step.TimeoutMs);

    public async Task RunAsync(IReadOnlyList<ScenarioStep> steps, int iteration, CancellationToken cancellationToken)
    {
        foreach (ScenarioStep step in steps)
        {
            if (Mismatch is not null)
            {
                return;
            }

            await RunStepAsync(step, iteration, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task RunStepAsync(ScenarioStep step, int iteration, CancellationToken cancellationToken)
    {
        StepOutcome? outcome = await ExecuteAsync(step, iteration, cancellationToken).ConfigureAwait(false);
        Expectation? expect = step.Expect ?? (step.Action.MustSucceed ? new Expectation { Ok = true } : null);
        if (outcome is null || expect is null)
        {
            return;
        }

        string? reason = ExpectationMatcher.Mismatch(expect, outcome, context);
        if (reason is not null)
        {
            context.Log(context.Who(step.As), "!", $"MISMATCH in '{step.Describe()}': {reason}");
            lock (_lock)
            {
                Mismatch ??= (ExpectationMatcher.Describe(expect), outcome.ToString(), $"step '{step.Describe()}' as {context.Who(step.As)}: {reason}");
            }
        }
    }

    /// <summary>
    /// The one place that runs an action: one case per <see cref="StepAction"/> subtype. Null for a block
    /// (parallel, repeat, eventually), whose inner steps have matched their own expectations.
    /// </summary>
    private async Task<StepOutcome?> ExecuteAsync(ScenarioStep step, int iteration, CancellationToken cancellationToken)
    {
        string conn = ConnectionName(step, iteration);
        string who = context.Who(step.As);
        switch (step.Action)
        {
            case ParallelStep parallel:
                await Task.WhenAll(parallel.Branches.Select(b => Task.Run(() => RunAsync(b, iteration, cancellationToken), cancellationToken))).ConfigureAwait(false);
                return null;
            case RepeatStep repeat:
                for (int i = 0; i < repeat.Block.Times && Mismatch is null; i++)
                {
                    await RunAsync(repeat.Block.Steps, i, cancellationToken).ConfigureAwait(false);
                }

                return null;
            case EventuallyStep eventually:
                await EventuallyAsync(eventually.Block, iteration, cancellationToken).ConfigureAwait(false);
                return null;
            case SleepStep sleep:
                await Task.Delay(sleep.Milliseconds, cancellationToken).ConfigureAwait(false);
                return StepOutcome.Ok;
            case ServerStep server:
                return await ServerActionAsync(server.Action, cancellationToken).ConfigureAwait(false);
            case ClientStep client:
                return await ClientAsync(step, client.Run, who, cancellationToken).ConfigureAwait(false);
            case KillProbeStep:
                ProbeClient killed = Probe(step);
                killed.Kill();
                context.Log(who, "!", "SIGKILL probe pid " + killed.ProcessId.ToString(CultureInfo.InvariantCulture));
                return StepOutcome.Ok;
            case ConnectStep connect:
                return await ConnectAsync(step, connect, conn, who, cancellationToken).ConfigureAwait(false);
            case ConnectAndSendStep connectAndSend:
                (List<ProbeDatagram> datagrams, _, List<string> summaries) = Build(connectAndSend.Burst);
                ProbeResponse r = await Ask(Probe(step), new ConnectCommand { Conn = conn, Path = context.Server.SocketPath, Datagrams = datagrams }, cancellationToken).ConfigureAwait(false);
                context.Log(who, "!", $"{step.Describe()} -> {OutcomeWord(r.Outcome)} {r.Errno}".TrimEnd());
                if (r.Outcome != ProbeOutcome.Ok)
                {
                    return new StepOutcome { Kind = OutcomeWord(r.Outcome), Errno = r.Errno };
                }

                context.OpenConnections[conn] = context.Account(step.As);
                LogSent(who, summaries, r);
                return r.SendErrno is null ? StepOutcome.Ok : new StepOutcome { Kind = "error", Errno = r.SendErrno };
            case ShutdownStep shutdown:
                ShutdownHow how = shutdown.How switch { ShutdownDirection.Read => ShutdownHow.Read, ShutdownDirection.Write => ShutdownHow.Write, _ => ShutdownHow.Both };
                return await Command(Probe(step), who, new ShutdownCommand { Conn = conn, How = how }, step.Describe(), cancellationToken).ConfigureAwait(false);
            case CloseStep or AbortStep:
                if (!context.OpenConnections.TryRemove(new(conn, context.Account(step.As))))
                {
                    // This role has no such connection (its connect failed, or another role owns the name).
                    context.Log(who, "!", $"{step.Describe()}: not open as {who}");
                    return StepOutcome.Ok;
                }

                return await Command(Probe(step), who, new CloseCommand { Conn = conn, Abort = step.Action is AbortStep }, step.Describe(), cancellationToken).ConfigureAwait(false);
            case SendStep send:
                return await SendAsync(Probe(step), who, conn, [send.Datagram], cancellationToken).ConfigureAwait(false);
            case RequestStep request:
                return await ExchangeAsync(Probe(step), who, conn, [request.Datagram], Wait(step), cancellationToken).ConfigureAwait(false);
            case BurstStep burst:
                return await ExchangeAsync(Probe(step), who, conn, burst.Burst, Wait(step), cancellationToken).ConfigureAwait(false);
            case ReceiveStep receive:
                return await ReceiveAsync(Probe(step), who, conn, receive.Options.Count, Wait(step), cancellationToken).ConfigureAwait(false);
            default:
                throw new System.Diagnostics.UnreachableException($"StepExecutor has no case for {step.Action.GetType().Name}.");
        }
    }

    private ProbeClient Probe(ScenarioStep step) => context.Probes(context.Account(step.As));

    private async Task<StepOutcome> ConnectAsync(ScenarioStep step, ConnectStep connect, string conn, string who, CancellationToken cancellationToken)
    {
        SocketKind type = connect.Options.Type switch { "stream" => SocketKind.Stream, "dgram" => SocketKind.Dgram, _ => SocketKind.Seqpacket };
        ProbeResponse r = await Ask(Probe(step), new ConnectCommand { Conn = conn, Path = context.Server.SocketPath, Type = type }, cancellationToken).ConfigureAwait(false);
        context.Log(who, "!", $"{step.Describe()} -> {OutcomeWord(r.Outcome)} {r.Errno}".TrimEnd());
        if (r.Outcome == ProbeOutcome.Ok)
        {
            context.OpenConnections[conn] = context.Account(step.As);
            return StepOutcome.Ok;
        }

        return new StepOutcome { Kind = OutcomeWord(r.Outcome), Errno = r.Errno };
    }

    private string ConnectionName(ScenarioStep step, int iteration) =>
        context.ConnectionName(step.Conn.Replace("{i}", iteration.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal));

    private async Task EventuallyAsync(EventuallyBlock eventually, int iteration, CancellationToken cancellationToken)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        TimeSpan within = TimeSpan.FromMilliseconds(context.Options.ScaledTimeoutMs(eventually.WithinMs));
        for (int attempt = 1; ; attempt++)
        {
            // A fresh executor per attempt: its mismatch is this attempt's, not yet the scenario's.
            var trial = new StepExecutor(context);
            await trial.RunAsync(eventually.Steps, iteration, cancellationToken).ConfigureAwait(false);
            if (trial.Mismatch is not { } mismatch)
            {
                return;
            }

            // The connections the attempt opened are closed, so that the next one starts as a new client would;
            // connections opened before the eventually step stay as they are.
            foreach (string conn in eventually.Steps.Where(s => s.Action is ConnectStep).Select(s => ConnectionName(s, iteration)).Distinct(StringComparer.Ordinal))
            {
                if (context.OpenConnections.TryRemove(conn, out UnixAccount? account) && context.Probes(account) is { HasExited: false } probe)
                {
                    _ = await probe.SendAsync(new CloseCommand { Conn = conn }, cancellationToken).ConfigureAwait(false);
                }
            }

            if (clock.Elapsed >= within)
            {
                context.Log("kit", "!", $"eventually: attempt {attempt} did not match either; giving up after {clock.ElapsedMilliseconds} ms");
                lock (_lock)
                {
                    Mismatch ??= (mismatch.Expected, mismatch.Actual, $"{mismatch.Reason} (still after {attempt} attempts in {clock.ElapsedMilliseconds} ms)");
                }

                return;
            }

            context.Log("kit", "!", $"eventually: attempt {attempt} did not match; retrying in {eventually.EveryMs} ms");
            await Task.Delay(eventually.EveryMs, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Closes what the scenario left open, so its connections do not linger on a shared server.</summary>
    public async Task CloseLeftoversAsync(CancellationToken cancellationToken)
    {
        foreach ((string conn, UnixAccount account) in context.OpenConnections.ToArray())
        {
            ProbeClient probe = context.Probes(account);
            if (!probe.HasExited)
            {
                _ = await probe.SendAsync(new CloseCommand { Conn = conn }, cancellationToken).ConfigureAwait(false);
            }
        }

        context.OpenConnections.Clear();
    }

    private async Task<StepOutcome> Command(ProbeClient probe, string who, ProbeCommand command, string what, CancellationToken cancellationToken)
    {
        ProbeResponse r = await Ask(probe, command, cancellationToken).ConfigureAwait(false);
        context.Log(who, "!", $"{what} -> {OutcomeWord(r.Outcome)} {r.Errno}".TrimEnd());
        return r.Outcome == ProbeOutcome.Ok ? StepOutcome.Ok : new StepOutcome { Kind = OutcomeWord(r.Outcome), Errno = r.Errno };
    }

    /// <summary>Asks the probe; a command it could not carry out is a fault of the kit, never an outcome.</summary>
    private static async Task<ProbeResponse> Ask(ProbeClient probe, ProbeCommand command, CancellationToken cancellationToken)
    {
        ProbeResponse r = await probe.SendAsync(command, cancellationToken).ConfigureAwait(false);
        return r.KitError is null
            ? r
            : throw new InvalidOperationException($"The probe refused {command.GetType().Name} on {command.Conn}: {r.KitError}");
    }

    /// <summary>The words StepOutcome and the transcripts use for a probe outcome.</summary>
    private static string OutcomeWord(ProbeOutcome outcome) => outcome switch
    {
        ProbeOutcome.Ok => "ok",
        ProbeOutcome.Eof => "eof",
        ProbeOutcome.Timeout => "timeout",
        _ => "error",
    };

    private (List<ProbeDatagram> Datagrams, List<uint> Ids, List<string> Summaries) Build(IReadOnlyList<DatagramSpec> specs)
    {
        var datagrams = new List<ProbeDatagram>();
        var ids = new List<uint>();
        var summaries = new List<string>();
        foreach (DatagramSpec spec in specs)
        {
            (ProbeDatagram datagram, uint id, string summary) = DatagramBuilder.Build(spec, context);
            datagrams.Add(datagram);
            ids.Add(id);
            summaries.Add(summary);
        }

        return (datagrams, ids, summaries);
    }

    private void LogSent(string who, List<string> summaries, ProbeResponse sent)
    {
        for (int i = 0; i < summaries.Count; i++)
        {
            context.Log(who, ">", summaries[i] + (i < sent.Sent ? "" : i == sent.Sent && sent.SendErrno is not null ? $" -> send failed {sent.SendErrno}" : " (not sent)"));
        }
    }

    /// <summary>send: the datagrams go out; the outcome is ok or the errno of the send that failed.</summary>
    private async Task<StepOutcome> SendAsync(ProbeClient probe, string who, string conn, IReadOnlyList<DatagramSpec> specs, CancellationToken cancellationToken)
    {
        (List<ProbeDatagram> datagrams, _, List<string> summaries) = Build(specs);
        ProbeResponse sent = await Ask(probe, new SendCommand { Conn = conn, Datagrams = datagrams }, cancellationToken).ConfigureAwait(false);
        LogSent(who, summaries, sent);
        return sent.SendErrno is null ? StepOutcome.Ok : new StepOutcome { Kind = "error", Errno = sent.SendErrno };
    }

    /// <summary>request and burst: send and receive in one probe round trip (an exchange).</summary>
    private async Task<StepOutcome> ExchangeAsync(ProbeClient probe, string who, string conn, IReadOnlyList<DatagramSpec> specs, int timeoutMs, CancellationToken cancellationToken)
    {
        (List<ProbeDatagram> datagrams, List<uint> ids, List<string> summaries) = Build(specs);
        ProbeResponse r = await Ask(probe, new ExchangeCommand { Conn = conn, Datagrams = datagrams, Count = specs.Count, TimeoutMs = timeoutMs }, cancellationToken).ConfigureAwait(false);
        LogSent(who, summaries, r);
        return r.Received is null
            ? new StepOutcome { Kind = "error", Errno = r.SendErrno }
            : Received(who, r, specs.Count, ids, r.SendErrno);
    }

    private async Task<StepOutcome> ReceiveAsync(ProbeClient probe, string who, string conn, int count, int timeoutMs, CancellationToken cancellationToken)
    {
        ProbeResponse r = await Ask(probe, new ReceiveCommand { Conn = conn, Count = count, TimeoutMs = timeoutMs }, cancellationToken).ConfigureAwait(false);
        return Received(who, r, count, [], null);
    }

    private StepOutcome Received(string who, ProbeResponse r, int count, List<uint> sentIds, string? sendErrno)
    {
        var replies = (r.Received ?? []).Select(item => DecodedReply.From(item.Length, item.Truncated, item.Bytes)).ToList();
        foreach (DecodedReply reply in replies)
        {
            context.Log(who, "<", reply.ToString());
        }

        string word = OutcomeWord(r.Outcome);
        string end = r.Outcome == ProbeOutcome.Ok ? "none" : r.Outcome == ProbeOutcome.Error ? r.Errno ?? "error" : word;
        if (r.Outcome != ProbeOutcome.Ok)
        {
            context.Log(who, "<", end);
        }

        string kind = count == 1 && sentIds.Count <= 1
            ? (replies.Count == 1 ? "reply" : word)
            : "replies";
        return new StepOutcome
        {
            Kind = kind,
            Errno = r.Outcome == ProbeOutcome.Error && replies.Count == 0 ? r.Errno : null,
            Replies = replies,
            End = end,
            SendErrno = sendErrno,
            SentIds = sentIds,
        };
    }

    private async Task<StepOutcome> ClientAsync(ScenarioStep step, ClientRun client, string who, CancellationToken cancellationToken)
    {
        var args = new List<string>(context.Options.ClientCommand.Skip(1)) { "--socket", context.Server.SocketPath };
        args.AddRange(client.Args.Select(a => context.Targets.ContainsKey(a) ? context.ConfiguredName(a) : context.Expand(a)));
        if (client.File is { } file)
        {
            string path = Path.Combine(context.KitDirectory, "input-" + context.NextRequestId().ToString(CultureInfo.InvariantCulture));
            await File.WriteAllBytesAsync(path, file.Resolve(context.Sizes), cancellationToken).ConfigureAwait(false);
            UnixFiles.SetMode(path, UnixFiles.Mode0644);
            args.Add("--file");
            args.Add(path);
        }

        UnixAccount account = context.Account(step.As);
        Command command = context.Options.UserSwitch.Wrap(account, context.Options.ClientCommand[0], args);
        context.Log(who, ">", "confupdate " + string.Join(' ', args.Skip(context.Options.ClientCommand.Count - 1)));
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Math.Max(Wait(step), context.Options.ScaledTimeoutMs(ClientMinimumTimeoutMs)));
        BufferedCommandResult result;
        try
        {
            result = await command.ExecuteBufferedAsync(Encoding.UTF8, timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            context.Log(who, "<", "client timed out");
            return new StepOutcome { Kind = "timeout" };
        }

        context.Log(who, "<", $"exit {result.ExitCode}: {result.StandardOutput.Trim()} {result.StandardError.Trim()}".TrimEnd());
        return new StepOutcome { Kind = "exit", ExitCode = result.ExitCode, Stdout = result.StandardOutput, Stderr = result.StandardError };
    }

    private async Task<StepOutcome> ServerActionAsync(ServerAction action, CancellationToken cancellationToken)
    {
        ServerHost server = context.Server;
        context.Log("kit", "!", $"server {action.ToString().ToLowerInvariant()} (pid {server.Pid})");
        switch (action)
        {
            case ServerAction.Kill:
                server.StoppedOnPurpose = true;
                await server.KillAsync(cancellationToken).ConfigureAwait(false);
                break;
            case ServerAction.Terminate:
                server.StoppedOnPurpose = true;
                int grace = context.Scenario.Server?.Limits?.ShutdownGraceSeconds ?? 10;
                int? code = await server.TerminateAsync(TimeSpan.FromSeconds(grace), cancellationToken).ConfigureAwait(false);
                context.Log("kit", "!", $"server exited with {code}");
                break;
            case ServerAction.Start:
            case ServerAction.Restart:
                if (action == ServerAction.Restart)
                {
                    await server.KillAsync(cancellationToken).ConfigureAwait(false);
                }

                try
                {
                    await server.StartAsync(cancellationToken).ConfigureAwait(false);
                    server.StoppedOnPurpose = false;
                    context.Log("kit", "!", $"server ready again (pid {server.Pid})");
                }
                catch (ServerStartException ex)
                {
                    context.Log("kit", "!", $"server failed to start: {ex.Message}");
                    return new StepOutcome { Kind = "error", Errno = "SERVER_START_FAILED" };
                }

                break;
        }

        return StepOutcome.Ok;
    }
}
