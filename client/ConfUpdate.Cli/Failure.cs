using System.Text.Json.Nodes;
using ConfUpdate.Client;
using ConfUpdate.Protocol;

namespace ConfUpdate.Cli;

/// <summary>A failed command: its exit code, a machine-readable kind, and one line for humans.</summary>
/// <param name="ExitCode">From <see cref="ExitCodes"/>.</param>
/// <param name="Error">A stable upper-case kind for scripts: USAGE, SOCKET_MISSING, STATUS, TIMEOUT, …</param>
/// <param name="Message">One line, without the "confupdate: " prefix.</param>
/// <param name="Status">The server's status, when the server refused.</param>
/// <param name="Detail">The server's detail text, when it sent one.</param>
internal sealed record Failure(int ExitCode, string Error, string Message, Status? Status = null, string? Detail = null)
{
    public static Failure Usage(string message) => new(ExitCodes.Usage, "USAGE", message);

    public JsonObject ToJson() => new()
    {
        ["ok"] = false,
        ["error"] = Error,
        ["status"] = Status is { } status ? StatusInfo.WireName(status) : null,
        ["exitCode"] = ExitCode,
        ["message"] = Message,
        ["detail"] = Detail,
    };

    /// <summary>Describes an exception from the client library for the user of <paramref name="socketPath"/>.</summary>
    public static Failure From(Exception exception, string socketPath, string? target, bool whileConnecting) => exception switch
    {
        ConfUpdateStatusException status => FromStatus(status, target),
        ConfUpdateConnectionException connection => FromConnection(connection, socketPath, whileConnecting),
        ConfUpdateProtocolException { IsTimeout: true } timeout =>
            new(ExitCodes.ProtocolFailure, "TIMEOUT", $"no reply from {socketPath} in time (raise --timeout?): {timeout.Message}"),
        ConfUpdateProtocolException protocol =>
            new(ExitCodes.ProtocolFailure, "PROTOCOL_ERROR", $"protocol error talking to {socketPath}: {protocol.Message}"),
        ArgumentException argument => Usage(argument.Message),
        _ => throw new ArgumentException($"Unexpected exception type {exception.GetType().Name}.", nameof(exception), exception),
    };

    /// <summary>
    /// Root and the overflow uid are admitted only when listed by uid or name, never through a group (SPEC AUTH-5):
    /// "root may do anything" is the usual expectation, so say why it does not hold here.
    /// </summary>
    private static string ForbiddenMessage(string uid, string detail) => uid switch
    {
        "0" => $"the server refused uid 0 (FORBIDDEN){detail}; root is admitted only when listed explicitly (Allow:Users or Allow:Uids, SPEC AUTH-5): "
            + "run confupdate as an allowed user (e.g. sudo -u www-data confupdate ...), or list root",
        OverflowUid => $"the server refused uid {OverflowUid} (FORBIDDEN){detail}; the overflow uid (nobody) is admitted only when listed explicitly "
            + "(Allow:Users or Allow:Uids, SPEC AUTH-5), never through a group",
        _ => $"the server refused uid {uid} (FORBIDDEN){detail}; ask its administrator to allow this user or one of its groups",
    };

    /// <summary>The kernel's overflow uid (nobody on Debian), which stands for an unmapped user (SPEC AUTH-5); as text, as <see cref="ProcessIdentity"/> gives it.</summary>
    private const string OverflowUid = "65534";

    private static Failure FromStatus(ConfUpdateStatusException ex, string? target)
    {
        string detail = string.IsNullOrEmpty(ex.Detail) ? "" : $": {ex.Detail}";
        string message = ex.Status switch
        {
            Protocol.Status.Forbidden => ForbiddenMessage(ProcessIdentity.EffectiveUid(), detail),
            Protocol.Status.Busy =>
                $"the server is busy (BUSY: too many connections){detail}; try again later",
            Protocol.Status.ShuttingDown =>
                $"the server is shutting down (SHUTTING_DOWN){detail}; try again when it is back",
            _ => $"{target ?? "hello"}: the server answered {ex.StatusName}{detail}",
        };
        return new Failure(ExitCodes.ForStatus(ex.Status), "STATUS", message, ex.Status, ex.Detail);
    }

    private static Failure FromConnection(ConfUpdateConnectionException ex, string socketPath, bool whileConnecting)
    {
        int code = ExitCodes.ForConnection(ex.Reason, whileConnecting);
        return ex.Reason switch
        {
            ConfUpdateConnectionReason.SocketMissing => new(code, "SOCKET_MISSING",
                $"no server at {socketPath} (the socket file does not exist); is confupdate-server running?"),
            ConfUpdateConnectionReason.AccessDenied => new(code, "ACCESS_DENIED",
                $"permission denied connecting to {socketPath} ({DescribeAccess(socketPath)}); uid {ProcessIdentity.EffectiveUid()} needs write permission on the socket file"),
            ConfUpdateConnectionReason.Refused => new(code, "REFUSED",
                $"nothing is listening at {socketPath} (connection refused: a stale socket file, or not a socket); is confupdate-server running?"),
            ConfUpdateConnectionReason.WrongSocketType => new(code, "WRONG_SOCKET_TYPE",
                $"{socketPath} is not a SOCK_SEQPACKET socket (wrong socket type); is it really the confupdate socket?"),
            ConfUpdateConnectionReason.MessageTooLarge => new(code, "MESSAGE_TOO_LARGE",
                $"the update is too large to send: {ex.Message}"),
            ConfUpdateConnectionReason.Closed => new(code, "CONNECTION_CLOSED",
                $"the connection to {socketPath} closed unexpectedly: {ex.Message}"),
            _ => new(code, "CONNECTION_ERROR", ex.Message),
        };
    }

    private static string DescribeAccess(string socketPath)
    {
        try
        {
            UnixFileMode mode = File.GetUnixFileMode(socketPath);
            return $"the socket file's mode is {Convert.ToString((int)mode, 8).PadLeft(4, '0')}";
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return "a directory on its path is not accessible";
        }
    }
}
