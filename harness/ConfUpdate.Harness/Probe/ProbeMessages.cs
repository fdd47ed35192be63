using System.Text.Json.Serialization;

namespace ConfUpdate.Harness.Probe;

// The probe's line protocol: one JSON command per stdin line, one JSON response per stdout line,
// matched by Id. Shared as source with confkit-probe (linked there) so both ends agree.

/// <summary>One command to the probe.</summary>
internal sealed record ProbeCommand
{
    /// <summary>Chosen by the kit; echoed in the response.</summary>
    public int Id { get; init; }

    /// <summary>connect | send | recv | shutdown | close | abort | sleep | exit.</summary>
    public string Cmd { get; init; } = "";

    /// <summary>The connection's name (unique per probe).</summary>
    public string? Conn { get; init; }

    /// <summary>connect: the socket path.</summary>
    public string? Path { get; init; }

    /// <summary>connect: seqpacket (default), stream or dgram.</summary>
    public string? Type { get; init; }

    /// <summary>send: the datagrams to send back-to-back (a burst when more than one).</summary>
    public IReadOnlyList<DatagramSpec>? Datagrams { get; init; }

    /// <summary>recv: how many datagrams to receive (default 1).</summary>
    public int Count { get; init; }

    /// <summary>recv: how long to wait for each datagram; sleep: how long to sleep.</summary>
    public int TimeoutMs { get; init; }

    /// <summary>shutdown: read | write | both.</summary>
    public string? How { get; init; }
}

/// <summary>A datagram: <see cref="Prefix"/> followed by <see cref="Fill"/> bytes of <see cref="Pattern"/>.</summary>
internal sealed record DatagramSpec
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

    /// <summary>Milliseconds since the probe started, when it arrived.</summary>
    public double AtMs { get; init; }
}

/// <summary>The probe's answer to one command.</summary>
internal sealed record ProbeResponse
{
    /// <summary>The command's id.</summary>
    public int Id { get; init; }

    /// <summary>ok | eof | timeout | error (for recv, after any datagrams received).</summary>
    public string Kind { get; init; } = "ok";

    /// <summary>The errno name when <see cref="Kind"/> is error (ENOENT, EPIPE, EMSGSIZE...).</summary>
    public string? Errno { get; init; }

    /// <summary>send: how many datagrams went out before an error (all of them on success).</summary>
    public int Sent { get; init; }

    /// <summary>recv: the datagrams received, in order.</summary>
    public IReadOnlyList<ReceivedItem>? Received { get; init; }

    /// <summary>connect: the socket's SO_SNDBUF.</summary>
    public int SendBuffer { get; init; }

    /// <summary>Milliseconds since the probe started, when the command started.</summary>
    public double StartMs { get; init; }

    /// <summary>Milliseconds since the probe started, when the command ended.</summary>
    public double EndMs { get; init; }

    /// <summary>Free text for humans (exception message).</summary>
    public string? Message { get; init; }
}

/// <summary>System.Text.Json source generation for the probe protocol: no reflection, fast start.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingDefault)]
[JsonSerializable(typeof(ProbeCommand))]
[JsonSerializable(typeof(ProbeResponse))]
internal sealed partial class ProbeJsonContext : JsonSerializerContext;
