using System.Net.Sockets;
using ConfUpdate.Harness.Environment;
using ConfUpdate.Protocol;

namespace ConfUpdate.Harness.Stress;

/// <summary>
/// One server under test for a stress check: its own directory (root, 0755), one target, a CONF-1 file
/// that admits the kit itself by uid 0 (SPEC AUTH-5: root only when listed explicitly) besides the allowed
/// role, and the server process, which the checks may kill and start again.
/// </summary>
internal sealed class StressSession : IAsyncDisposable
{
    /// <summary>The target every stress check writes.</summary>
    public const string TargetName = "stress";

    private readonly StressOptions _options;
    private int _connectRetries;

    private StressSession(StressOptions options, string directory)
    {
        _options = options;
        Directory = directory;
    }

    /// <summary>The session's directory.</summary>
    public string Directory { get; }

    /// <summary>Where the target lives (the only directory the server may write).</summary>
    public string TargetDirectory => Path.Combine(Directory, "targets");

    /// <summary>The target file.</summary>
    public string TargetPath => Path.Combine(TargetDirectory, TargetName);

    /// <summary>The server's socket.</summary>
    public string SocketPath => Path.Combine(Directory, "server.sock");

    /// <summary>The running server, if any.</summary>
    public ServerProcess? Server { get; private set; }

    /// <summary>The maximum request size the configuration sets.</summary>
#pragma warning disable CA1822 // a property of this session's configuration, which may one day set its own M
    public int MaxRequestSize => ProtocolLimits.DefaultMaxRequestSize;
#pragma warning restore CA1822

    /// <summary>The configured group of the target (the allowed account's).</summary>
    public UnixAccount TargetGroup => _options.Allowed;

    /// <summary>Creates the directory and configuration; <paramref name="onTmpfs"/> puts it on /dev/shm when there is one.</summary>
    public static StressSession Create(StressOptions options, string label, bool onTmpfs)
    {
        ArgumentNullException.ThrowIfNull(options);
        string parent = onTmpfs && System.IO.Directory.Exists("/dev/shm") ? "/dev/shm" : Path.GetTempPath();
        string directory = Path.Combine(parent, $"confkit-stress-{label}-{Guid.NewGuid():N}"[..40]);
        System.IO.Directory.CreateDirectory(directory);
        UnixFiles.SetMode(directory, UnixFiles.Mode0755);
        var session = new StressSession(options, directory);
        System.IO.Directory.CreateDirectory(session.TargetDirectory);
        UnixFiles.SetMode(session.TargetDirectory, UnixFiles.Mode0755);
        var config = new KitConfigFile(
            new KitSocketConfig(session.SocketPath) { Mode = UnixFiles.Mode0666 },
            new KitAllowConfig { Users = [options.Allowed.Name], Uids = [0] },
            [new KitTargetConfig(TargetName, session.TargetPath) { Owner = "root", Group = options.Allowed.Name, Mode = StressOptions.TargetMode }])
        {
            Limits = new KitLimitsConfig { ShutdownGraceSeconds = 2, IdleTimeoutSeconds = 30 },
        };
        config.WriteTo(session.ConfigPath);
        return session;
    }

    private string ConfigPath => Path.Combine(Directory, "config.json");

    /// <summary>Starts the server and waits until it is ready (SPEC PROF-2).</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var launch = new ServerLaunch(_options.ServerCommand, SocketPath, ConfigPath) { ReadyTimeout = _options.ReadyTimeout };
        Server = await ServerProcess.StartAsync(launch, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>SIGKILLs the server's whole process tree and waits until it is gone.</summary>
    public async Task KillAsync()
    {
        if (Server is { } server)
        {
            ProcessTree.KillTree(server.Pid);
            await server.DisposeAsync().ConfigureAwait(false);
            Server = null;
        }
    }

    /// <summary>Connects as the kit itself (root, admitted by uid).</summary>
    /// <remarks>
    /// A connect to an AF_UNIX listener whose backlog is full fails at once with EAGAIN: under a connect
    /// flood that is the queue being full, not the server failing, so it is retried (and counted) until the
    /// reply timeout has passed.
    /// </remarks>
    public async Task<StressClient> ConnectAsync(CancellationToken cancellationToken)
    {
        long deadline = System.Environment.TickCount64 + (long)_options.ReplyTimeout.TotalMilliseconds;
        while (true)
        {
            try
            {
                return new StressClient(await SeqPacket.ConnectAsync(SocketPath, cancellationToken).ConfigureAwait(false));
            }
            catch (SocketException ex) when (ex.SocketErrorCode == SocketError.WouldBlock && System.Environment.TickCount64 < deadline)
            {
                Interlocked.Increment(ref _connectRetries);
                await Task.Delay(1, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>How many connects found the listener's backlog full and were retried.</summary>
    public int ConnectRetries => Volatile.Read(ref _connectRetries);

    /// <summary>Names in the target directory that look like temporary files (a dot-name ending <c>.tmp</c>, SPEC DUR-1/DUR-6).</summary>
    public string[] TemporaryFiles() =>
        [.. System.IO.Directory.EnumerateFileSystemEntries(TargetDirectory)
            .Select(Path.GetFileName).OfType<string>()
            .Where(n => n.StartsWith('.') && n.EndsWith(".tmp", StringComparison.Ordinal))];

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (Server is { } server)
        {
            await server.DisposeAsync().ConfigureAwait(false);
        }

        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Best effort: a leftover directory in /tmp is not worth failing a report for.
        }
    }
}

/// <summary>A client connection of the kit itself: one request, one reply, with a deadline.</summary>
internal sealed class StressClient(Socket socket) : IDisposable
{
    // One byte over the reply limit, so that a reply breaking FRAME-9 shows as truncated.
    private readonly byte[] _buffer = new byte[ProtocolLimits.MaxReplySize + 1];

    /// <summary>The socket.</summary>
    public Socket Socket { get; } = socket;

    /// <summary>Sends one datagram.</summary>
    public async Task SendAsync(ReadOnlyMemory<byte> datagram, CancellationToken cancellationToken) =>
        _ = await Socket.SendAsync(datagram, SocketFlags.None, cancellationToken).ConfigureAwait(false);

    /// <summary>Receives one reply; null at end of stream; <see cref="TimeoutException"/> when none comes in time.</summary>
    public async Task<StressReply?> ReceiveAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            ReceivedDatagram received = await SeqPacket.ReceiveAsync(Socket, _buffer, deadline.Token).ConfigureAwait(false);
            return received.IsEndOfStream ? null : new StressReply(_buffer.AsSpan(0, received.BytesInBuffer).ToArray(), received.Length);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"no reply within {timeout.TotalMilliseconds:0} ms");
        }
    }

    /// <summary>Sends a request and receives its reply.</summary>
    public async Task<StressReply?> RequestAsync(ReadOnlyMemory<byte> datagram, TimeSpan timeout, CancellationToken cancellationToken)
    {
        await SendAsync(datagram, cancellationToken).ConfigureAwait(false);
        return await ReceiveAsync(timeout, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public void Dispose() => Socket.Dispose();
}

/// <summary>One reply datagram as received: its bytes (at most 2049) and its real length.</summary>
internal sealed record StressReply(byte[] Bytes, int Length)
{
    /// <summary>The status byte, or -1 when the reply is shorter than a header.</summary>
    public int Status => Bytes.Length > 2 ? Bytes[2] : -1;
}
