using System.Globalization;
using System.Text;
using ConfUpdate.Protocol;

namespace ConfUpdate.Harness.Running;

/// <summary>What one step observed, normalised so that expectations can be compared against it.</summary>
internal sealed record StepOutcome
{
    /// <summary>ok | reply | replies | eof | timeout | error | exit.</summary>
    public required string Kind { get; init; }

    public string? Errno { get; init; }

    public IReadOnlyList<DecodedReply> Replies { get; init; } = [];

    /// <summary>How the receive ended after the replies: none, eof, timeout or an errno.</summary>
    public string End { get; init; } = "none";

    public string? SendErrno { get; init; }

    public IReadOnlyList<uint> SentIds { get; init; } = [];

    public int? ExitCode { get; init; }

    public string Stdout { get; init; } = "";

    public string Stderr { get; init; } = "";

    public static StepOutcome Ok { get; } = new() { Kind = "ok" };

    public override string ToString()
    {
        var text = new StringBuilder(Kind);
        if (Errno is not null)
        {
            text.Append(' ').Append(Errno);
        }

        if (Replies.Count > 0)
        {
            text.Append(CultureInfo.InvariantCulture, $" [{string.Join("; ", Replies)}]");
        }

        if (Kind == "replies" || (Replies.Count > 0 && End != "none"))
        {
            text.Append(" then ").Append(End);
        }

        if (SendErrno is not null)
        {
            text.Append(" (send failed: ").Append(SendErrno).Append(')');
        }

        if (ExitCode is not null)
        {
            text.Append(CultureInfo.InvariantCulture, $" exit={ExitCode} stdout={Trim(Stdout)} stderr={Trim(Stderr)}");
        }

        return text.ToString();
    }

    private static string Trim(string s) => s.Length > 200 ? s[..200].Trim() + "..." : s.Trim();
}

/// <summary>A received datagram, decoded as a reply when possible.</summary>
internal sealed record DecodedReply(int Length, bool Truncated, Reply? Reply, string? DecodeError, byte OpcodeByte)
{
    public static DecodedReply From(int length, bool truncated, byte[] bytes)
    {
        byte opcode = ReplyCodec.OpcodeByteOf(bytes) ?? 0;
        try
        {
            return new DecodedReply(length, truncated, truncated ? null : ReplyCodec.Decode(bytes), truncated ? "truncated" : null, opcode);
        }
        catch (ProtocolException ex)
        {
            return new DecodedReply(length, truncated, null, ex.Message, opcode);
        }
    }

    public override string ToString() => Reply is { } r
        ? string.Create(CultureInfo.InvariantCulture, $"{Length}B {StatusInfo.WireName(r.Status)} op=0x{OpcodeByte:x2} id={r.RequestId}{(r.Detail.Length > 0 ? $" \"{(r.Detail.Length > 80 ? r.Detail[..80] + "..." : r.Detail)}\"" : "")}")
        : string.Create(CultureInfo.InvariantCulture, $"{Length}B undecodable ({DecodeError})");
}
