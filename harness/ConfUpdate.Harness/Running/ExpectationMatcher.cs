using System.Text.Json;
using System.Text.Json.Serialization;
using ConfUpdate.Harness.Scenarios;
using ConfUpdate.Protocol;

namespace ConfUpdate.Harness.Running;

/// <summary>Compares an outcome with an expectation; the result names the first field that differs.</summary>
internal static class ExpectationMatcher
{
    private static readonly JsonSerializerOptions s_describe = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>The expectation as compact text; for <c>any_of</c>, every alternative.</summary>
    public static string Describe(Expectation expectation) =>
        expectation.AnyOf is { } alternatives
            ? "any of: " + string.Join(" | ", alternatives.Select(Describe))
            : JsonSerializer.Serialize(expectation with { AnyOf = null }, s_describe);

    /// <summary>Null when the outcome is accepted, else why not.</summary>
    public static string? Mismatch(Expectation expectation, StepOutcome outcome, ScenarioContext context)
    {
        if (expectation.AnyOf is { } alternatives)
        {
            var reasons = alternatives.Select(a => Mismatch(a, outcome, context)).ToList();
            return reasons.Any(r => r is null) ? null : "no alternative matched: " + string.Join(" | ", reasons);
        }

        if (expectation.Ok == true && outcome.Kind != "ok")
        {
            return $"expected the action to succeed, got {outcome.Kind} {outcome.Errno}".Trim();
        }

        if (expectation.Error is { } errors && !(outcome.Kind == "error" && errors.Contains(outcome.Errno ?? "")))
        {
            return $"expected error {string.Join("/", errors)}, got {outcome.Kind} {outcome.Errno}".Trim();
        }

        if (expectation.Eof == true && !(outcome.Kind == "eof" || (outcome.Replies.Count == 0 && outcome.End == "eof")))
        {
            return $"expected end of stream, got {outcome.Kind}";
        }

        if (expectation.Timeout == true && !(outcome.Kind == "timeout" || (outcome.Replies.Count == 0 && outcome.End == "timeout")))
        {
            return $"expected no reply (timeout), got {outcome.Kind}";
        }

        if (outcome.SendErrno is { } sendErrno && outcome.Kind != "error")
        {
            IReadOnlyList<string> accepted = expectation.SendError ?? [];
            if (!accepted.Contains("any") && !accepted.Contains(sendErrno))
            {
                return $"sending failed with {sendErrno}";
            }
        }

        bool wantsReply = expectation.Status is not null || expectation.RequestId is not null || expectation.Opcode is not null
            || expectation.MaxRequestSize is not null || expectation.Exists is not null || expectation.VersionOf is not null
            || expectation.HighestVersion is not null || expectation.DetailContains is not null || expectation.ProtocolVersion is not null
            || expectation.Size is not null;
        if (wantsReply && outcome.Replies.Count == 0)
        {
            return $"expected a reply, got {outcome.Kind} {outcome.Errno}".Trim();
        }

        foreach (DecodedReply item in outcome.Replies)
        {
            if (item.Reply is null && (wantsReply || expectation.Statuses is not null))
            {
                return $"a {item.Length}-byte datagram is not a valid reply: {item.DecodeError}";
            }
        }

        if (expectation.Replies is { } count && outcome.Replies.Count != count)
        {
            return $"expected {count} replies, got {outcome.Replies.Count} (then {outcome.End})";
        }

        if (expectation.Statuses is { } statuses)
        {
            string[] actual = outcome.Replies.Select(r => StatusInfo.WireName(r.Reply!.Status)).ToArray();
            if (!actual.SequenceEqual(statuses, StringComparer.OrdinalIgnoreCase))
            {
                return $"expected statuses [{string.Join(",", statuses)}], got [{string.Join(",", actual)}]";
            }
        }

        if (expectation.Status is { } status)
        {
            foreach (DecodedReply item in outcome.Replies)
            {
                if (!string.Equals(StatusInfo.WireName(item.Reply!.Status), status, StringComparison.OrdinalIgnoreCase))
                {
                    return $"expected status {status}, got {StatusInfo.WireName(item.Reply.Status)}";
                }
            }
        }

        if (expectation.IdsInOrder == true)
        {
            uint[] ids = outcome.Replies.Select(r => r.Reply!.RequestId).ToArray();
            if (!ids.SequenceEqual(outcome.SentIds.Take(ids.Length)) || ids.Length != outcome.SentIds.Count)
            {
                return $"expected reply ids [{string.Join(",", outcome.SentIds)}] in order, got [{string.Join(",", ids)}]";
            }
        }

        if (expectation.Then is { } then && !then.Contains(outcome.End))
        {
            return $"expected the receive to end with {string.Join("/", then)}, got {outcome.End}";
        }

        Reply? first = outcome.Replies.Count > 0 ? outcome.Replies[0].Reply : null;
        if (first is not null)
        {
            string? reason = MatchReply(expectation, outcome.Replies[0], first, context);
            if (reason is not null)
            {
                return reason;
            }
        }

        if (expectation.ExitCode is { } exit && outcome.ExitCode != exit)
        {
            return $"expected exit code {exit}, got {(outcome.ExitCode?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? outcome.Kind)} (stderr: {outcome.Stderr.Trim()})";
        }

        if (expectation.StdoutContains is { } stdout && !outcome.Stdout.Contains(context.Expand(stdout), StringComparison.Ordinal))
        {
            return $"expected standard output to contain '{stdout}', got '{outcome.Stdout.Trim()}'";
        }

        if (expectation.StderrContains is { } stderr && !outcome.Stderr.Contains(context.Expand(stderr), StringComparison.OrdinalIgnoreCase))
        {
            return $"expected standard error to contain '{stderr}', got '{outcome.Stderr.Trim()}'";
        }

        return null;
    }

    private static string? MatchReply(Expectation expectation, DecodedReply item, Reply reply, ScenarioContext context)
    {
        if (expectation.RequestId is { } id && reply.RequestId != id)
        {
            return $"expected request id {id}, got {reply.RequestId}";
        }

        if (expectation.Opcode is { } opcode && item.OpcodeByte != opcode)
        {
            return $"expected reply opcode byte 0x{opcode:x2}, got 0x{item.OpcodeByte:x2}";
        }

        if (expectation.DetailContains is { } detail && !reply.Detail.Contains(detail, StringComparison.OrdinalIgnoreCase))
        {
            return $"expected the detail to contain '{detail}', got '{reply.Detail}'";
        }

        if (expectation.HighestVersion is { } highest && (reply.Body.Length != 1 || reply.Body.Span[0] != highest))
        {
            return $"expected a one-byte body {highest}, got {Convert.ToHexStringLower(reply.Body.Span)}";
        }

        try
        {
            if (expectation.MaxRequestSize is not null || expectation.ProtocolVersion is not null)
            {
                HelloInfo hello = HelloInfo.Decode(reply.Body.Span);
                if (expectation.MaxRequestSize is { } max && hello.MaxRequestSize != context.Sizes.Evaluate(max))
                {
                    return $"expected HELLO to announce M={context.Sizes.Evaluate(max)}, got {hello.MaxRequestSize}";
                }

                if (expectation.ProtocolVersion is { } version && hello.ProtocolVersion != version)
                {
                    return $"expected HELLO protocol version {version}, got {hello.ProtocolVersion}";
                }
            }

            if (expectation.Exists is not null || expectation.Size is not null || (expectation.VersionOf is not null && reply.Opcode == Opcode.GetVersion))
            {
                TargetVersion version = TargetVersion.Decode(reply.Body.Span);
                if (expectation.Exists is { } exists && version.Exists != exists)
                {
                    return $"expected exists={exists}, got {version.Exists}";
                }

                if (expectation.Size is { } size && version.Size != (ulong)context.Sizes.Evaluate(size))
                {
                    return $"expected size {context.Sizes.Evaluate(size)}, got {version.Size}";
                }

                if (expectation.VersionOf is { } of && !version.Version.Equals(ContentVersion.Of(of.Resolve(context.Sizes))))
                {
                    return $"expected version {ContentVersion.Of(of.Resolve(context.Sizes))}, got {version.Version}";
                }
            }
            else if (expectation.VersionOf is { } of)
            {
                var installed = ContentVersion.FromBytes(reply.Body.Span);
                if (!installed.Equals(ContentVersion.Of(of.Resolve(context.Sizes))))
                {
                    return $"expected new version {ContentVersion.Of(of.Resolve(context.Sizes))}, got {installed}";
                }
            }
        }
        catch (Exception ex) when (ex is ProtocolException or ArgumentException)
        {
            return $"the reply body is malformed: {ex.Message}";
        }

        return null;
    }
}
