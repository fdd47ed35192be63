using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;
using CliWrap;
using ConfUpdate.Harness.Environment;

namespace ConfUpdate.Harness.Probe;

/// <summary>
/// One running <c>confkit-probe</c> process for one account, driven over its stdin/stdout. Commands
/// from many scenarios may be in flight at once; responses are matched by id.
/// </summary>
internal sealed class ProbeClient : IAsyncDisposable
{
    private readonly Channel<string> _input = Channel.CreateUnbounded<string>();
    private readonly ConcurrentDictionary<int, TaskCompletionSource<ProbeResponse>> _pending = new();
    private readonly StringBuilder _stderr = new();
    private readonly CancellationTokenSource _kill = new();
    private readonly CommandTask<CommandResult> _execution;
    private readonly IDisposable _cleanup;
    private int _nextId;

    private ProbeClient(UnixAccount account, UserSwitch userSwitch, IReadOnlyList<string> command)
    {
        Account = account;
        Command cli = userSwitch.Wrap(account, command[0], command.Skip(1))
            .WithStandardInputPipe(PipeSource.Create(WriteInputAsync))
            .WithStandardOutputPipe(PipeTarget.Create(ReadOutputAsync))
            .WithStandardErrorPipe(PipeTarget.ToStringBuilder(_stderr));
        _execution = cli.ExecuteAsync(_kill.Token);
        _cleanup = KitCleanup.Register(_execution.ProcessId);
        _ = _execution.Task.ContinueWith(_ => FailPending("the probe process exited"), TaskScheduler.Default);
    }

    /// <summary>The account the probe runs as.</summary>
    public UnixAccount Account { get; }

    /// <summary>The probe's process id.</summary>
    public int ProcessId => _execution.ProcessId;

    /// <summary>Whether the process has exited (or was killed).</summary>
    public bool HasExited => _execution.Task.IsCompleted;

    /// <summary>Starts a probe as <paramref name="account"/>.</summary>
    public static ProbeClient Start(UnixAccount account, UserSwitch userSwitch, IReadOnlyList<string> command) =>
        new(account, userSwitch, command);

    /// <summary>Sends one command and waits for its response.</summary>
    /// <exception cref="InvalidOperationException">The probe died before answering.</exception>
    public async Task<ProbeResponse> SendAsync(ProbeCommand command, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(command);
        int id = Interlocked.Increment(ref _nextId);
        var completion = new TaskCompletionSource<ProbeResponse>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[id] = completion;
        if (HasExited)
        {
            FailPending("the probe process has exited");
        }

        await _input.Writer.WriteAsync(JsonSerializer.Serialize(command with { Id = id }, ProbeJsonContext.Default.ProbeCommand), cancellationToken).ConfigureAwait(false);
        return await completion.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>SIGKILLs the probe (and anything it runs) at once.</summary>
    public void Kill()
    {
        ProcessTree.KillTree(ProcessId);
        FailPending("the probe was killed");
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        _input.Writer.TryWrite("{\"cmd\":\"exit\"}");
        _input.Writer.TryComplete();
        try
        {
            await _execution.Task.WaitAsync(TimeSpan.FromSeconds(3)).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is TimeoutException or OperationCanceledException or InvalidOperationException)
        {
            // Killed below.
        }

        if (!HasExited)
        {
            await _kill.CancelAsync().ConfigureAwait(false);
            ProcessTree.KillTree(ProcessId);
        }

        try
        {
            await _execution.Task.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // We killed it.
        }

        _cleanup.Dispose();
        _kill.Dispose();
    }

    private async Task WriteInputAsync(Stream destination, CancellationToken cancellationToken)
    {
        await using var writer = new StreamWriter(destination, new UTF8Encoding(false)) { AutoFlush = false };
        try
        {
            await foreach (string line in _input.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                await writer.WriteLineAsync(line).ConfigureAwait(false);
                await writer.FlushAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        catch (IOException)
        {
            // The probe is gone; pending commands fail when it exits.
        }
    }

    private async Task ReadOutputAsync(Stream source, CancellationToken cancellationToken)
    {
        using var reader = new StreamReader(source, Encoding.UTF8);
        while (await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
        {
            ProbeResponse? response;
            try
            {
                response = JsonSerializer.Deserialize(line, ProbeJsonContext.Default.ProbeResponse);
            }
            catch (JsonException)
            {
                continue;
            }

            if (response is not null && _pending.TryRemove(response.Id, out TaskCompletionSource<ProbeResponse>? completion))
            {
                completion.TrySetResult(response);
            }
        }
    }

    private void FailPending(string why)
    {
        foreach (int id in _pending.Keys)
        {
            if (_pending.TryRemove(id, out TaskCompletionSource<ProbeResponse>? completion))
            {
                completion.TrySetException(new InvalidOperationException(
                    $"confkit-probe as {Account.Name}: {why} before answering. Its stderr: {_stderr.ToString().Trim()}"));
            }
        }
    }
}
