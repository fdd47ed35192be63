namespace ConfUpdate.Protocol;

/// <summary>A decoded request datagram (SPEC FRAME-3). Immutable.</summary>
/// <param name="RequestId">Chosen by the client, echoed in the reply (SPEC FRAME-1).</param>
public abstract record Request(uint RequestId)
{
    /// <summary>The operation this request asks for.</summary>
    public abstract Opcode Opcode { get; }
}

/// <summary>HELLO: ask for the server's capabilities (SPEC OP-1).</summary>
public sealed record HelloRequest(uint RequestId) : Request(RequestId)
{
    /// <inheritdoc />
    public override Opcode Opcode => Opcode.Hello;
}

/// <summary>REPLACE: install <paramref name="Content"/> as the target's whole content (SPEC OP-2, OP-4).</summary>
/// <param name="RequestId">Echoed in the reply.</param>
/// <param name="Target">A configured target name, never a path (SPEC TGT-1).</param>
/// <param name="Content">The new content; any bytes, NUL included, possibly empty.</param>
/// <param name="ExpectedVersion">When set, install only if the current version equals this (compare-and-set).</param>
public sealed record ReplaceRequest(uint RequestId, string Target, ReadOnlyMemory<byte> Content, ContentVersion? ExpectedVersion = null)
    : Request(RequestId)
{
    /// <inheritdoc />
    public override Opcode Opcode => Opcode.Replace;
}

/// <summary>GET_VERSION: ask for a target's current version (SPEC OP-3).</summary>
public sealed record GetVersionRequest(uint RequestId, string Target) : Request(RequestId)
{
    /// <inheritdoc />
    public override Opcode Opcode => Opcode.GetVersion;
}
