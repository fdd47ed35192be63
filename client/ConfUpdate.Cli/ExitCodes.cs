using ConfUpdate.Client;
using ConfUpdate.Protocol;

namespace ConfUpdate.Cli;

/// <summary>
/// The one place that maps outcomes to process exit codes (documented in README.md and --help).
/// Server statuses map to 10 + their wire value (SPEC STAT-1), so the code names the status exactly.
/// </summary>
internal static class ExitCodes
{
    public const int Ok = 0;

    /// <summary>Bad arguments, an unreadable, empty (without --allow-empty) or oversized input, a request too large to send.</summary>
    public const int Usage = 2;

    /// <summary>The server cannot be reached: socket missing, permission denied, refused, wrong socket type.</summary>
    public const int Unreachable = 3;

    /// <summary>A malformed or mismatched reply, no reply in time, or the connection closed unexpectedly.</summary>
    public const int ProtocolFailure = 4;

    /// <summary>Added to a server status's wire value: FORBIDDEN (1) is 11, UNKNOWN_TARGET (6) is 16.</summary>
    public const int StatusBase = 10;

    /// <summary>Interrupted by SIGINT or SIGTERM (128 + SIGINT, as shells report Ctrl-C); the request may or may not have been carried out.</summary>
    public const int Interrupted = 130;

    public static int ForStatus(Status status) => StatusBase + (int)status;

    public static int ForConnection(ConfUpdateConnectionReason reason, bool whileConnecting) => reason switch
    {
        ConfUpdateConnectionReason.SocketMissing or ConfUpdateConnectionReason.AccessDenied
            or ConfUpdateConnectionReason.Refused or ConfUpdateConnectionReason.WrongSocketType => Unreachable,
        ConfUpdateConnectionReason.MessageTooLarge => Usage,
        ConfUpdateConnectionReason.Other when whileConnecting => Unreachable,
        _ => ProtocolFailure,
    };

    /// <summary>The table printed under --help.</summary>
    public static string HelpTable { get; } = BuildHelpTable();

    private static string BuildHelpTable()
    {
        var lines = new List<string>
        {
            "Exit codes:",
            $"  {Ok,-3} OK",
            $"  {Usage,-3} usage error (bad arguments, unreadable, empty (without --allow-empty) or too large input)",
            $"  {Unreachable,-3} cannot reach the server (socket missing, permission denied, refused, wrong socket type)",
            $"  {ProtocolFailure,-3} protocol error, timeout, or connection closed unexpectedly",
        };
        foreach (Status status in Enum.GetValues<Status>().Where(s => s != Status.Ok))
        {
            lines.Add($"  {ForStatus(status),-3} server status {StatusInfo.WireName(status)}");
        }

        lines.Add($"  {Interrupted,-3} interrupted (SIGINT/SIGTERM)");
        return string.Join(Environment.NewLine, lines);
    }
}
