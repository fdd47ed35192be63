namespace ConfUpdate.Client;

/// <summary>
/// How to reach a ConfUpdate server. Immutable once built: <c>With…</c> methods return changed copies;
/// the init-only properties also bind from configuration (<c>services.AddConfUpdateClient(section)</c>).
/// </summary>
public sealed record ConfUpdateClientOptions
{
    /// <summary>The socket path a packaged server listens on when nothing else is configured.</summary>
    public const string DefaultSocketPath = "/run/confupdate/confupdate.sock";

    /// <summary>How long one request (or the connect) may take unless configured otherwise: 30 seconds.</summary>
    public static TimeSpan DefaultRequestTimeout { get; } = TimeSpan.FromSeconds(30);

    private readonly string _socketPath = DefaultSocketPath;
    private readonly TimeSpan _requestTimeout = DefaultRequestTimeout;

    /// <summary>Creates the default options (the packaged server's socket, 30 s per request); also what configuration binding uses.</summary>
    public ConfUpdateClientOptions()
    {
    }

    /// <summary>Creates options for the server at <paramref name="socketPath"/>.</summary>
    /// <exception cref="ArgumentException">The path is empty.</exception>
    public ConfUpdateClientOptions(string socketPath)
    {
        SocketPath = socketPath;
    }

    /// <summary>The filesystem path of the server's AF_UNIX SOCK_SEQPACKET socket (SPEC TRANS-1).</summary>
    public string SocketPath
    {
        get => _socketPath;
        init
        {
            ArgumentException.ThrowIfNullOrEmpty(value, nameof(SocketPath));
            _socketPath = value;
        }
    }

    /// <summary>
    /// The longest a connect, or one request from send to reply, may take before it fails with a
    /// <see cref="ConfUpdateProtocolException"/> whose <see cref="ConfUpdateProtocolException.IsTimeout"/> is true.
    /// <see cref="Timeout.InfiniteTimeSpan"/> waits forever.
    /// </summary>
    public TimeSpan RequestTimeout
    {
        get => _requestTimeout;
        init
        {
            if (value <= TimeSpan.Zero && value != Timeout.InfiniteTimeSpan)
            {
                throw new ArgumentOutOfRangeException(nameof(RequestTimeout), value, "The request timeout must be positive or Timeout.InfiniteTimeSpan.");
            }

            _requestTimeout = value;
        }
    }

    /// <summary>A copy that connects to <paramref name="socketPath"/>.</summary>
    public ConfUpdateClientOptions WithSocketPath(string socketPath) => this with { SocketPath = socketPath };

    /// <summary>A copy whose requests time out after <paramref name="requestTimeout"/>.</summary>
    public ConfUpdateClientOptions WithRequestTimeout(TimeSpan requestTimeout) => this with { RequestTimeout = requestTimeout };
}
