using ConfUpdate.Protocol;

namespace ConfUpdate.Server.Targets;

/// <summary>The result of an operation on a target: a status, a detail for the reply, and the OK body.</summary>
/// <param name="Status">The reply status.</param>
/// <param name="Detail">Human-readable detail (peer text already escaped).</param>
/// <param name="Body">The OK body, empty otherwise.</param>
internal sealed record TargetOutcome(Status Status, string Detail, ReadOnlyMemory<byte> Body)
{
    /// <summary>A failure without body.</summary>
    public static TargetOutcome Fail(Status status, string detail) => new(status, detail, ReadOnlyMemory<byte>.Empty);
}
