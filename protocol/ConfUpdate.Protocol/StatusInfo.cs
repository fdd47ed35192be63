namespace ConfUpdate.Protocol;

/// <summary>Facts about each <see cref="Status"/> that the spec fixes (SPEC STAT-1).</summary>
public static class StatusInfo
{
    /// <summary>
    /// Whether the server closes the connection after sending this status. Only the statuses sent
    /// unsolicited (FORBIDDEN, BUSY, SHUTTING_DOWN) close: every other failure leaves message
    /// boundaries intact, so the next datagram is still a well-delimited request.
    /// </summary>
    public static bool ClosesConnection(Status status) =>
        status is Status.Forbidden or Status.Busy or Status.ShuttingDown;

    /// <summary>The status's name as SPEC.md and reports spell it (e.g. <c>TOO_LARGE</c>).</summary>
    public static string WireName(Status status) => status switch
    {
        Status.Ok => "OK",
        Status.Forbidden => "FORBIDDEN",
        Status.BadRequest => "BAD_REQUEST",
        Status.UnsupportedVersion => "UNSUPPORTED_VERSION",
        Status.UnknownOperation => "UNKNOWN_OPERATION",
        Status.TooLarge => "TOO_LARGE",
        Status.UnknownTarget => "UNKNOWN_TARGET",
        Status.ValidationFailed => "VALIDATION_FAILED",
        Status.Conflict => "CONFLICT",
        Status.Busy => "BUSY",
        Status.InternalError => "INTERNAL_ERROR",
        Status.UnsafeTarget => "UNSAFE_TARGET",
        Status.ShuttingDown => "SHUTTING_DOWN",
        _ => $"STATUS_{(byte)status}",
    };

    /// <summary>Parses a wire name such as <c>TOO_LARGE</c> (case-insensitive); false when unknown.</summary>
    public static bool TryParseWireName(string name, out Status status)
    {
        foreach (Status candidate in Enum.GetValues<Status>())
        {
            if (string.Equals(WireName(candidate), name, StringComparison.OrdinalIgnoreCase))
            {
                status = candidate;
                return true;
            }
        }

        status = default;
        return false;
    }
}
