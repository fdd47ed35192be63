using ConfUpdate.Protocol;

namespace ConfUpdate.Client;

/// <summary>
/// The server answered with a status other than <c>OK</c> (SPEC STAT-1); it applied nothing (SPEC STAT-2).
/// </summary>
public sealed class ConfUpdateStatusException : ConfUpdateException
{
    /// <summary>Creates the exception for a reply to <paramref name="opcode"/> that carried <paramref name="status"/>.</summary>
    /// <param name="status">The status the server sent; never <see cref="Status.Ok"/>.</param>
    /// <param name="detail">The server's human-readable detail text (possibly empty).</param>
    /// <param name="opcode">The operation that was refused, or <see cref="Opcode.None"/> for an unsolicited reply.</param>
    /// <param name="isUnsolicited">Whether the server sent the status without a request and closed the connection.</param>
    public ConfUpdateStatusException(Status status, string detail, Opcode opcode, bool isUnsolicited)
        : base(Describe(status, detail, opcode, isUnsolicited))
    {
        ArgumentNullException.ThrowIfNull(detail);
        Status = status;
        Detail = detail;
        Opcode = opcode;
        IsUnsolicited = isUnsolicited;
    }

    /// <summary>The status the server sent.</summary>
    public Status Status { get; }

    /// <summary>The server's detail text, for humans and logs only; programs must not parse it (SPEC FRAME-3).</summary>
    public string Detail { get; }

    /// <summary>The operation the status answers, or <see cref="Opcode.None"/> when it was unsolicited.</summary>
    public Opcode Opcode { get; }

    /// <summary>
    /// Whether the server sent the status on its own (FORBIDDEN at accept, BUSY over a cap, SHUTTING_DOWN;
    /// SPEC AUTH-6, CONN-3, LIFE-1) and closed the connection: the client cannot be used any more.
    /// </summary>
    public bool IsUnsolicited { get; }

    /// <summary>The status's name as the spec spells it, e.g. <c>UNKNOWN_TARGET</c>.</summary>
    public string StatusName => StatusInfo.WireName(Status);

    private static string Describe(Status status, string detail, Opcode opcode, bool isUnsolicited)
    {
        string what = isUnsolicited
            ? $"The server sent an unsolicited {StatusInfo.WireName(status)} and closed the connection"
            : $"The server answered {OpcodeNames.Of(opcode)} with {StatusInfo.WireName(status)}; expected OK";
        return string.IsNullOrEmpty(detail) ? $"{what}." : $"{what}: {detail}";
    }
}
