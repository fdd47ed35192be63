using System.Globalization;
using System.Text;
using CliWrap;
using CliWrap.Buffered;
using ConfUpdate.Harness.Environment;
using ConfUpdate.Harness.Probe;
using ConfUpdate.Harness.Scenarios;

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
        if (step.Parallel is { } branches)
        {
            await Task.WhenAll(branches.Select(b => Task.Run(() => RunAsync(b, iteration, cancellationToken), cancellationToken))).ConfigureAwait(false);
            return;
        }

        if (step.Repeat is { } repeat)
        {
            for (int i = 0; i < repeat.Times && Mismatch is null; i++)
            {
                await RunAsync(repeat.Steps, i, cancellationToken).ConfigureAwait(false);
            }

            return;
        }

        if (step.Eventually is { } eventually)
        {
            await EventuallyAsync(eventually, iteration, cancellationToken).ConfigureAwait(false);
            return;
        }

        string conn = ConnectionName(step, iteration);
        StepOutcome outcome = await ExecuteAsync(step, conn, cancellationToken).ConfigureAwait(false);
        Expectation? expect = step.Expect ?? (step.Connect is not null || step.Server is not null ? new Expectation { Ok = true } : null);
        if (expect is null)
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

    private string ConnectionName(ScenarioStep step, int iteration) =>
        context.ConnectionName(step.Conn.Replace("{i}", iteration.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal));

    private async Task EventuallyAsync(EventuallyAction eventually, int iteration, CancellationToken cancellationToken)
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
            foreach (string conn in eventually.Steps.Where(s => s.Connect is not null).Select(s => ConnectionName(s, iteration)).Distinct(StringComparer.Ordinal))
            {
                if (context.OpenConnections.TryRemove(conn, out UnixAccount? account) && context.Probes(account) is { HasExited: false } probe)
                {
                    _ = await probe.SendAsync(new ProbeCommand { Cmd = "close", Conn = conn }, cancellationToken).ConfigureAwait(false);
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

    private async Task<StepOutcome> ExecuteAsync(ScenarioStep step, string conn, CancellationToken cancellationToken)
    {
        string who = context.Who(step.As);
        if (step.SleepMs is { } sleep)
        {
            await Task.Delay(sleep, cancellationToken).ConfigureAwait(false);
            return StepOutcome.Ok;
        }

        if (step.Server is { } action)
        {
            return await ServerActionAsync(action, cancellationToken).ConfigureAwait(false);
        }

        if (step.Client is { } client)
        {
            return await ClientAsync(step, client, who, cancellationToken).ConfigureAwait(false);
        }

        ProbeClient probe = context.Probes(context.Account(step.As));
        if (step.KillProbe == true)
        {
            probe.Kill();
            context.Log(who, "!", "SIGKILL probe pid " + probe.ProcessId.ToString(CultureInfo.InvariantCulture));
            return StepOutcome.Ok;
        }

        if (step.Connect is { } connect)
        {
            ProbeResponse r = await probe.SendAsync(new ProbeCommand { Cmd = "connect", Conn = conn, Path = context.Server.SocketPath, Type = connect.Type }, cancellationToken).ConfigureAwait(false);
            context.Log(who, "!", $"connect {step.Conn} ({connect.Type ?? "seqpacket"}) -> {r.Kind} {r.Errno}".TrimEnd());
            if (r.Kind == "ok")
            {
                context.OpenConnections[conn] = context.Account(step.As);
            }

            return Simple(r);
        }

        if (step.Shutdown is { } how)
        {
            return Simple(await Command(probe, who, new ProbeCommand { Cmd = "shutdown", Conn = conn, How = how }, $"shutdown({how}) {step.Conn}", cancellationToken).ConfigureAwait(false));
        }

        if (step.Close == true || step.Abort == true)
        {
            string cmd = step.Abort == true ? "abort" : "close";
            context.OpenConnections.TryRemove(conn, out _);
            return Simple(await Command(probe, who, new ProbeCommand { Cmd = cmd, Conn = conn }, $"{cmd} {step.Conn}", cancellationToken).ConfigureAwait(false));
        }

        if (step.Send is { } send)
        {
            return await SendAsync(probe, who, conn, [send], receive: 0, Wait(step), cancellationToken).ConfigureAwait(false);
        }

        if (step.Request is { } request)
        {
            return await SendAsync(probe, who, conn, [request], receive: 1, Wait(step), cancellationToken).ConfigureAwait(false);
        }

        if (step.Burst is { } burst)
        {
            return await SendAsync(probe, who, conn, burst, receive: burst.Count, Wait(step), cancellationToken).ConfigureAwait(false);
        }

        if (step.Recv is { } recv)
        {
            return await ReceiveAsync(probe, who, conn, recv.Count, Wait(step), [], null, cancellationToken).ConfigureAwait(false);
        }

        return StepOutcome.Ok;
    }

    /// <summary>Closes what the scenario left open, so its connections do not linger on a shared server.</summary>
    public async Task CloseLeftoversAsync(CancellationToken cancellationToken)
    {
        foreach ((string conn, UnixAccount account) in context.OpenConnections.ToArray())
        {
            ProbeClient probe = context.Probes(account);
            if (!probe.HasExited)
            {
                _ = await probe.SendAsync(new ProbeCommand { Cmd = "close", Conn = conn }, cancellationToken).ConfigureAwait(false);
            }
        }

        context.OpenConnections.Clear();
    }

    private async Task<ProbeResponse> Command(ProbeClient probe, string who, ProbeCommand command, string what, CancellationToken cancellationToken)
    {
        ProbeResponse r = await probe.SendAsync(command, cancellationToken).ConfigureAwait(false);
        context.Log(who, "!", $"{what} -> {r.Kind} {r.Errno}".TrimEnd());
        return r;
    }

    private static StepOutcome Simple(ProbeResponse r) =>
        r.Kind == "ok" ? StepOutcome.Ok : new StepOutcome { Kind = r.Kind, Errno = r.Errno };

    private async Task<StepOutcome> SendAsync(ProbeClient probe, string who, string conn, IReadOnlyList<Scenarios.DatagramSpec> specs, int receive, int timeoutMs, CancellationToken cancellationToken)
    {
        var datagrams = new List<Probe.DatagramSpec>();
        var ids = new List<uint>();
        var summaries = new List<string>();
        foreach (Scenarios.DatagramSpec spec in specs)
        {
            (Probe.DatagramSpec datagram, uint id, string summary) = DatagramBuilder.Build(spec, context);
            datagrams.Add(datagram);
            ids.Add(id);
            summaries.Add(summary);
        }

        ProbeResponse sent = await probe.SendAsync(new ProbeCommand { Cmd = "send", Conn = conn, Datagrams = datagrams }, cancellationToken).ConfigureAwait(false);
        for (int i = 0; i < summaries.Count; i++)
        {
            context.Log(who, ">", summaries[i] + (i < sent.Sent ? "" : i == sent.Sent && sent.Kind == "error" ? $" -> send failed {sent.Errno}" : " (not sent)"));
        }

        string? sendErrno = sent.Kind == "error" ? sent.Errno : null;
        if (sendErrno == "EBADCMD")
        {
            throw new InvalidOperationException($"The probe refused the send on {conn}: {sent.Message}");
        }

        if (receive == 0 || (sendErrno is not null && specs.Count == 1))
        {
            return sendErrno is null ? StepOutcome.Ok : new StepOutcome { Kind = "error", Errno = sendErrno };
        }

        return await ReceiveAsync(probe, who, conn, receive, timeoutMs, ids, sendErrno, cancellationToken).ConfigureAwait(false);
    }

    private async Task<StepOutcome> ReceiveAsync(ProbeClient probe, string who, string conn, int count, int timeoutMs, List<uint> sentIds, string? sendErrno, CancellationToken cancellationToken)
    {
        ProbeResponse r = await probe.SendAsync(new ProbeCommand { Cmd = "recv", Conn = conn, Count = count, TimeoutMs = timeoutMs }, cancellationToken).ConfigureAwait(false);
        if (r.Errno == "EBADCMD")
        {
            throw new InvalidOperationException($"The probe refused the recv on {conn}: {r.Message}");
        }

        var replies = (r.Received ?? []).Select(item => DecodedReply.From(item.Length, item.Truncated, item.Bytes)).ToList();
        foreach (DecodedReply reply in replies)
        {
            context.Log(who, "<", reply.ToString());
        }

        string end = r.Kind == "ok" ? "none" : r.Kind == "error" ? r.Errno ?? "error" : r.Kind;
        if (r.Kind != "ok")
        {
            context.Log(who, "<", end);
        }

        string kind = count == 1 && sentIds.Count <= 1
            ? (replies.Count == 1 ? "reply" : r.Kind)
            : "replies";
        return new StepOutcome
        {
            Kind = kind,
            Errno = r.Kind == "error" && replies.Count == 0 ? r.Errno : null,
            Replies = replies,
            End = end,
            SendErrno = sendErrno,
            SentIds = sentIds,
        };
    }

    private async Task<StepOutcome> ClientAsync(ScenarioStep step, ClientAction client, string who, CancellationToken cancellationToken)
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

    private async Task<StepOutcome> ServerActionAsync(string action, CancellationToken cancellationToken)
    {
        ServerHost server = context.Server;
        context.Log("kit", "!", $"server {action} (pid {server.Pid})");
        switch (action)
        {
            case "kill":
                server.StoppedOnPurpose = true;
                await server.KillAsync(cancellationToken).ConfigureAwait(false);
                break;
            case "terminate":
                server.StoppedOnPurpose = true;
                int grace = context.Scenario.Server?.Limits?.ShutdownGraceSeconds ?? 10;
                int? code = await server.TerminateAsync(TimeSpan.FromSeconds(grace), cancellationToken).ConfigureAwait(false);
                context.Log("kit", "!", $"server exited with {code}");
                break;
            case "start":
            case "restart":
                if (action == "restart")
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
