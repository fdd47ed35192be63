using System.Text.Unicode;
using ConfUpdate.Protocol;

namespace ConfUpdate.Server.Audit;

/// <summary>
/// One audit line per accept, reject, busy refusal, request and close (SPEC AUDIT-1), in a fixed
/// <c>audit event=... key=value</c> shape that <c>grep</c> and the kit can read. Peer-supplied text is
/// passed through <see cref="AuditText"/> first.
/// </summary>
internal sealed class AuditLog(AuditSink sink)
{
    /// <summary>A peer was admitted.</summary>
    public void Accept(PeerCredentials peer) =>
        sink.Write(false, peer, static (p, span) => Utf8.TryWrite(span, $"audit event=accept pid={p.Pid} uid={p.Uid} gid={p.Gid}", out int n) ? n : -1);

    /// <summary>A peer was denied (SPEC AUTH-6); <paramref name="peer"/> is null when the kernel did not say who it is.</summary>
    public void Reject(PeerCredentials? peer, string reason)
    {
        if (peer is { } p)
        {
            sink.Write(true, (p, reason), static (s, span) =>
                Utf8.TryWrite(span, $"audit event=reject pid={s.p.Pid} uid={s.p.Uid} gid={s.p.Gid} reason={s.reason}", out int n) ? n : -1);
        }
        else
        {
            // AUTH-4: the kernel did not say who it is.
            sink.Write(true, reason, static (r, span) => Utf8.TryWrite(span, $"audit event=reject pid=- uid=- gid=- reason={r}", out int n) ? n : -1);
        }
    }

    /// <summary>An allowed peer was refused because a cap is reached (SPEC CONN-3).</summary>
    public void Busy(PeerCredentials peer, string reason) =>
        sink.Write(true, (peer, reason), static (s, span) =>
            Utf8.TryWrite(span, $"audit event=busy pid={s.peer.Pid} uid={s.peer.Uid} gid={s.peer.Gid} reason={s.reason}", out int n) ? n : -1);

    /// <summary>One request and its outcome; <paramref name="target"/> is already quoted and escaped (<see cref="AuditText.Quote(string)"/>).</summary>
    public void Request(PeerCredentials peer, string op, string target, int size, Status status) =>
        sink.Write(false, (peer, op, target, size, name: StatusInfo.WireName(status)), static (s, span) =>
            Utf8.TryWrite(span, $"audit event=request pid={s.peer.Pid} uid={s.peer.Uid} gid={s.peer.Gid} op={s.op} target={s.target} size={s.size} status={s.name}", out int n) ? n : -1);

    /// <summary>A leftover temporary file was removed at start (SPEC DUR-6); it has no peer.</summary>
    public void Recover(string target, string file, ulong size) =>
        sink.Write(true, (target: AuditText.Quote(target), file: AuditText.Quote(file), size), static (s, span) =>
            Utf8.TryWrite(span, $"audit event=recover target={s.target} file={s.file} size={s.size}", out int n) ? n : -1);

    /// <summary>A connection ended.</summary>
    public void Close(PeerCredentials peer, int requests, string reason) =>
        sink.Write(false, (peer, requests, reason), static (s, span) =>
            Utf8.TryWrite(span, $"audit event=close pid={s.peer.Pid} uid={s.peer.Uid} gid={s.peer.Gid} requests={s.requests} reason={s.reason}", out int n) ? n : -1);
}
