namespace ConfUpdate.Harness.Scenarios;

/// <summary>One action by one identity, with the outcome(s) it accepts. Exactly one action field is set.</summary>
public sealed record ScenarioStep
{
    /// <summary>The role that acts (allowed, denied, group-member, root, stranger...).</summary>
    public string As { get; init; } = "allowed";

    /// <summary>The connection's name within the scenario (default <c>c</c>).</summary>
    public string Conn { get; init; } = "c";

    /// <summary>
    /// The default of <see cref="TimeoutMs"/>. Generous on purpose: a reply that comes is never waited for, so
    /// the default costs nothing on a conformant server, while on a loaded 2-core CI machine a freshly started
    /// server's first REPLACE (JIT, fsync of file and directory) was seen to miss 2 s.
    /// </summary>
    public const int DefaultTimeoutMs = 5000;

    /// <summary>How long to wait for each reply or for the client, in milliseconds (before the run's time scale).</summary>
    public int TimeoutMs { get; init; } = DefaultTimeoutMs;

    /// <summary>Connect: the socket type (seqpacket, stream, dgram).</summary>
    public ConnectAction? Connect { get; init; }

    /// <summary>Send one datagram without reading.</summary>
    public DatagramSpec? Send { get; init; }

    /// <summary>Send one datagram and read its reply.</summary>
    public DatagramSpec? Request { get; init; }

    /// <summary>Send datagrams back-to-back, then read the replies.</summary>
    public IReadOnlyList<DatagramSpec>? Burst { get; init; }

    /// <summary>Receive datagrams (count, default 1).</summary>
    public ReceiveAction? Recv { get; init; }

    /// <summary>shutdown(2) one direction: read, write or both.</summary>
    public string? Shutdown { get; init; }

    /// <summary>Close the connection.</summary>
    public bool? Close { get; init; }

    /// <summary>Close the connection with unread data queued.</summary>
    public bool? Abort { get; init; }

    /// <summary>Wait, in milliseconds.</summary>
    public int? SleepMs { get; init; }

    /// <summary>SIGKILL this role's probe (it gets a probe of its own).</summary>
    public bool? KillProbe { get; init; }

    /// <summary>Run the reference client CLI as this role.</summary>
    public ClientAction? Client { get; init; }

    /// <summary>Act on the server: kill (SIGKILL), terminate (SIGTERM, wait), start, restart (SIGKILL then start).</summary>
    public string? Server { get; init; }

    /// <summary>Branches run concurrently; each branch's steps run in order.</summary>
    public IReadOnlyList<IReadOnlyList<ScenarioStep>>? Parallel { get; init; }

    /// <summary>Run steps several times.</summary>
    public RepeatAction? Repeat { get; init; }

    /// <summary>Steps retried until they all match, for a state the server reaches asynchronously.</summary>
    public EventuallyAction? Eventually { get; init; }

    /// <summary>The accepted outcome; null accepts whatever happened (for preparatory steps, <c>ok</c> is required).</summary>
    public Expectation? Expect { get; init; }

    /// <summary>A short description of the action for transcripts.</summary>
    public string Describe() =>
        Connect is not null ? $"connect {Conn} ({Connect.Type ?? "seqpacket"})"
        : Send is not null ? $"send on {Conn}"
        : Request is not null ? $"request on {Conn}"
        : Burst is not null ? $"burst of {Burst.Count} on {Conn}"
        : Recv is not null ? $"recv on {Conn}"
        : Shutdown is not null ? $"shutdown({Shutdown}) {Conn}"
        : Close == true ? $"close {Conn}"
        : Abort == true ? $"abort {Conn}"
        : SleepMs is not null ? $"sleep {SleepMs} ms"
        : KillProbe == true ? "SIGKILL probe"
        : Client is not null ? $"confupdate {string.Join(' ', Client.Args)}"
        : Server is not null ? $"server {Server}"
        : Parallel is not null ? $"parallel x{Parallel.Count}"
        : Repeat is not null ? $"repeat x{Repeat.Times}"
        : Eventually is not null ? $"eventually within {Eventually.WithinMs} ms"
        : "nothing";
}

/// <summary>
/// Steps run again (after closing the connections they opened) until every one matches or <see cref="WithinMs"/>
/// has passed; then the last attempt's mismatch stands. For server-side effects the client has no event to wait
/// for (a closed connection's cap slot freed, an install finishing for a client that left), which a fixed sleep
/// only guesses on a loaded machine.
/// </summary>
public sealed record EventuallyAction
{
    /// <summary>How long to keep trying, in milliseconds (scaled by the run's time scale).</summary>
    public int WithinMs { get; init; } = 5000;

    /// <summary>The pause between attempts, in milliseconds.</summary>
    public int EveryMs { get; init; } = 100;

    /// <summary>The steps of one attempt.</summary>
    public IReadOnlyList<ScenarioStep> Steps { get; init; } = [];
}

/// <summary>connect(2) options.</summary>
public sealed record ConnectAction
{
    /// <summary>seqpacket (default), stream or dgram.</summary>
    public string? Type { get; init; }
}

/// <summary>recv(2) options.</summary>
public sealed record ReceiveAction
{
    /// <summary>How many datagrams to wait for.</summary>
    public int Count { get; init; } = 1;
}

/// <summary>A repeated block.</summary>
public sealed record RepeatAction
{
    /// <summary>How many times.</summary>
    public int Times { get; init; } = 1;

    /// <summary>The steps; <c>{i}</c> in connection names and ids is the iteration.</summary>
    public IReadOnlyList<ScenarioStep> Steps { get; init; } = [];
}

/// <summary>A run of the reference client CLI.</summary>
public sealed record ClientAction
{
    /// <summary>Arguments after <c>--socket P</c>; a local target name is mapped to its configured name.</summary>
    public IReadOnlyList<string> Args { get; init; } = [];

    /// <summary>Content written to a file passed as <c>--file</c>.</summary>
    public ContentSpec? File { get; init; }
}
