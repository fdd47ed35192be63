using System.Text.Json.Serialization;

namespace ConfUpdate.Harness.Probe;

// The probe's line protocol: one JSON command per stdin line, one JSON response per stdout line, matched by
// id. Shared as source with confkit-probe (linked there) so both ends agree; serialized by the source-generated
// ProbeJsonContext (no reflection: the probe can be published NativeAOT). Every field is used by both ends.

/// <summary>One command to the probe; <c>cmd</c> names its subtype on the wire.</summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "cmd")]
[JsonDerivedType(typeof(ConnectCommand), "connect")]
[JsonDerivedType(typeof(SendCommand), "send")]
[JsonDerivedType(typeof(ReceiveCommand), "recv")]
[JsonDerivedType(typeof(ExchangeCommand), "exchange")]
[JsonDerivedType(typeof(ShutdownCommand), "shutdown")]
[JsonDerivedType(typeof(CloseCommand), "close")]
[JsonDerivedType(typeof(ExitCommand), "exit")]
internal abstract record ProbeCommand
{
    /// <summary>Chosen by the kit; echoed in the response.</summary>
    public int Id { get; init; }

    /// <summary>The connection the command acts on (unique per probe); commands on one connection run in order.</summary>
    public string? Conn { get; init; }
}

/// <summary>
/// connect(2) a new connection; with <see cref="Datagrams"/>, send them right after connect() returns, with no
/// round trip to the kit in between (a peer that writes the moment it is connected).
/// </summary>
internal sealed record ConnectCommand : ProbeCommand
{
    /// <summary>The socket path.</summary>
    public required string Path { get; init; }

    /// <summary>The socket type.</summary>
    public SocketKind Type { get; init; }

    /// <summary>Datagrams to send at once after connecting; none for a plain connect.</summary>
    public IReadOnlyList<ProbeDatagram> Datagrams { get; init; } = [];
}

/// <summary>Send datagrams back-to-back without reading.</summary>
internal sealed record SendCommand : ProbeCommand
{
    /// <summary>The datagrams, in order.</summary>
    public required IReadOnlyList<ProbeDatagram> Datagrams { get; init; }
}

/// <summary>Receive datagrams.</summary>
internal sealed record ReceiveCommand : ProbeCommand
{
    /// <summary>How many datagrams to wait for.</summary>
    public int Count { get; init; } = 1;

    /// <summary>How long to wait for each datagram, in milliseconds.</summary>
    public int TimeoutMs { get; init; }
}

/// <summary>
/// Send datagrams, then receive: one round trip for a request. When the only datagram cannot be sent nothing is
/// received (there is no reply to wait for); after a failed send in a burst the replies already due are read.
/// </summary>
internal sealed record ExchangeCommand : ProbeCommand
{
    /// <summary>The datagrams, in order.</summary>
    public required IReadOnlyList<ProbeDatagram> Datagrams { get; init; }

    /// <summary>How many datagrams to wait for.</summary>
    public int Count { get; init; } = 1;

    /// <summary>How long to wait for each datagram, in milliseconds.</summary>
    public int TimeoutMs { get; init; }
}

/// <summary>shutdown(2) one direction.</summary>
internal sealed record ShutdownCommand : ProbeCommand
{
    /// <summary>Which direction.</summary>
    public ShutdownHow How { get; init; }
}

/// <summary>Close a connection; with <see cref="Abort"/>, at once with unread data queued (SO_LINGER 0).</summary>
internal sealed record CloseCommand : ProbeCommand
{
    /// <summary>Whether to abort (linger 0) rather than close.</summary>
    public bool Abort { get; init; }
}

/// <summary>Finish the commands in flight, close every connection and exit.</summary>
internal sealed record ExitCommand : ProbeCommand;

/// <summary>Socket types a connection can have.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<SocketKind>))]
internal enum SocketKind
{
    /// <summary>SOCK_SEQPACKET, what the protocol uses.</summary>
    Seqpacket,

    /// <summary>SOCK_STREAM, which a server must refuse (TRANS-1).</summary>
    Stream,

    /// <summary>SOCK_DGRAM, which a server must refuse (TRANS-1).</summary>
    Dgram,
}

/// <summary>shutdown(2) directions.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ShutdownHow>))]
internal enum ShutdownHow
{
    /// <summary>SHUT_RD.</summary>
    Read,

    /// <summary>SHUT_WR.</summary>
    Write,

    /// <summary>SHUT_RDWR.</summary>
    Both,
}

/// <summary>A datagram: <see cref="Prefix"/> followed by <see cref="Fill"/> bytes of <see cref="Pattern"/>.</summary>
internal sealed record ProbeDatagram
{
    /// <summary>Literal leading bytes (header, name, options...).</summary>
    public byte[]? Prefix { get; init; }

    /// <summary>How many pattern bytes follow the prefix.</summary>
    public int Fill { get; init; }

    /// <summary>The pattern of the fill bytes (see <see cref="Patterns"/>).</summary>
    public string? Pattern { get; init; }

    /// <summary>Total length of the datagram.</summary>
    [JsonIgnore]
    public int Length => (Prefix?.Length ?? 0) + Fill;
}

/// <summary>One datagram the probe received.</summary>
internal sealed record ReceivedItem
{
    /// <summary>The datagram's real length (MSG_TRUNC), even when longer than the buffer.</summary>
    public int Length { get; init; }

    /// <summary>Whether it was longer than the probe's receive buffer.</summary>
    public bool Truncated { get; init; }

    /// <summary>The bytes received (at most the buffer size).</summary>
    public byte[] Bytes { get; init; } = [];
}

/// <summary>How a command ended, as the kernel reported it.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ProbeOutcome>))]
internal enum ProbeOutcome
{
    /// <summary>Done: connected, sent, received every datagram asked for.</summary>
    Ok,

    /// <summary>The peer closed: recv returned 0 before every datagram asked for came.</summary>
    Eof,

    /// <summary>No datagram within the timeout.</summary>
    Timeout,

    /// <summary>A system call failed; <see cref="ProbeResponse.Errno"/> names the errno.</summary>
    Error,
}

/// <summary>The probe's answer to one command.</summary>
internal sealed record ProbeResponse
{
    /// <summary>The command's id (-1 for a line that was not a command).</summary>
    public int Id { get; init; }

    /// <summary>How the command (for exchange: its receive part) ended.</summary>
    public ProbeOutcome Outcome { get; init; }

    /// <summary>The errno name when <see cref="Outcome"/> is <see cref="ProbeOutcome.Error"/> (ENOENT, ECONNRESET...).</summary>
    public string? Errno { get; init; }

    /// <summary>send, exchange, connect with datagrams: how many datagrams went out.</summary>
    public int Sent { get; init; }

    /// <summary>send, exchange, connect with datagrams: the errno name of the send that failed, if one did.</summary>
    public string? SendErrno { get; init; }

    /// <summary>recv and exchange: the datagrams received, in order; null when nothing was received because the send failed.</summary>
    public IReadOnlyList<ReceivedItem>? Received { get; init; }

    /// <summary>connect: the socket's SO_SNDBUF, which size expressions (<c>sndbuf</c>) use.</summary>
    public int SendBuffer { get; init; }

    /// <summary>
    /// Set when the probe could not carry the command out as asked (a malformed line, an unknown connection): a
    /// fault of the kit, never an outcome of the server under test, so it is kept apart from errnos.
    /// </summary>
    public string? KitError { get; init; }
}

/// <summary>System.Text.Json source generation for the probe protocol: no reflection, fast start.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingDefault)]
[JsonSerializable(typeof(ProbeCommand))]
[JsonSerializable(typeof(ProbeResponse))]
internal sealed partial class ProbeJsonContext : JsonSerializerContext;
