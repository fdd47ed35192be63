using ConfUpdate.Protocol;
using Microsoft.Extensions.Logging;

namespace ConfUpdate.Server.Audit;

/// <summary>
/// One audit line per accept, reject, busy refusal, request and close (SPEC AUDIT-1), in a fixed
/// <c>audit event=... key=value</c> shape that <c>grep</c> and the kit can read. Peer-supplied text is
/// passed through <see cref="AuditText"/> first.
/// </summary>
internal sealed partial class AuditLog(ILogger<AuditLog> logger)
{
    /// <summary>A peer was admitted.</summary>
    public void Accept(PeerCredentials peer) => LogAccept(logger, peer.Pid, peer.Uid, peer.Gid);

    /// <summary>A peer was denied (SPEC AUTH-6); <paramref name="peer"/> is null when the kernel did not say who it is.</summary>
    public void Reject(PeerCredentials? peer, string reason)
    {
        if (peer is { } p)
        {
            LogReject(logger, p.Pid, p.Uid, p.Gid, reason);
        }
        else
        {
            // AUTH-4: the kernel did not say who it is.
            LogRejectUnknown(logger, reason);
        }
    }

    /// <summary>An allowed peer was refused because a cap is reached (SPEC CONN-3).</summary>
    public void Busy(PeerCredentials peer, string reason) => LogBusy(logger, peer.Pid, peer.Uid, peer.Gid, reason);

    /// <summary>One request and its outcome.</summary>
    public void Request(PeerCredentials peer, string op, string target, int size, Status status)
    {
        string name = StatusInfo.WireName(status);
        LogRequest(logger, peer.Pid, peer.Uid, peer.Gid, op, target, size, name);
    }

    /// <summary>A leftover temporary file was removed at start (SPEC DUR-6); it has no peer.</summary>
    public void Recover(string target, string file, ulong size) =>
        LogRecover(logger, AuditText.Quote(target), AuditText.Quote(file), size);

    /// <summary>A connection ended.</summary>
    public void Close(PeerCredentials peer, int requests, string reason) => LogClose(logger, peer.Pid, peer.Uid, peer.Gid, requests, reason);

    [LoggerMessage(EventId = 100, Level = LogLevel.Information, Message = "audit event=accept pid={Pid} uid={Uid} gid={Gid}")]
    private static partial void LogAccept(ILogger logger, int pid, uint uid, uint gid);

    [LoggerMessage(EventId = 101, Level = LogLevel.Warning, Message = "audit event=reject pid={Pid} uid={Uid} gid={Gid} reason={Reason}")]
    private static partial void LogReject(ILogger logger, int pid, uint uid, uint gid, string reason);

    [LoggerMessage(EventId = 105, Level = LogLevel.Warning, Message = "audit event=reject pid=- uid=- gid=- reason={Reason}")]
    private static partial void LogRejectUnknown(ILogger logger, string reason);

    [LoggerMessage(EventId = 102, Level = LogLevel.Warning, Message = "audit event=busy pid={Pid} uid={Uid} gid={Gid} reason={Reason}")]
    private static partial void LogBusy(ILogger logger, int pid, uint uid, uint gid, string reason);

    [LoggerMessage(EventId = 103, Level = LogLevel.Information, Message = "audit event=request pid={Pid} uid={Uid} gid={Gid} op={Op} target={Target} size={Size} status={Status}")]
    private static partial void LogRequest(ILogger logger, int pid, uint uid, uint gid, string op, string target, int size, string status);

    [LoggerMessage(EventId = 106, Level = LogLevel.Warning, Message = "audit event=recover target={Target} file={File} size={Size}")]
    private static partial void LogRecover(ILogger logger, string target, string file, ulong size);

    [LoggerMessage(EventId = 104, Level = LogLevel.Information, Message = "audit event=close pid={Pid} uid={Uid} gid={Gid} requests={Requests} reason={Reason}")]
    private static partial void LogClose(ILogger logger, int pid, uint uid, uint gid, int requests, string reason);
}
