using ConfUpdate.Protocol;

namespace ConfUpdate.Client;

/// <summary>
/// The ConfUpdate operations an application calls (SPEC OP-1..OP-3), as registered by
/// <c>services.AddConfUpdateClient(...)</c>: one shared, thread-safe instance that connects on first use
/// and reconnects as needed (<see cref="ReconnectingConfUpdateClient"/>). An interface so that an
/// application's own tests can substitute it.
/// </summary>
public interface IConfUpdateClient
{
    /// <summary>Asks for the server's protocol version, maximum request size, name and version (SPEC OP-1).</summary>
    Task<HelloInfo> HelloAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Replaces the whole content of <paramref name="target"/> and returns its new version once the server
    /// has installed it durably (SPEC OP-2, DUR-1); with <paramref name="expectedVersion"/>, only if the
    /// current version equals it (SPEC OP-4).
    /// </summary>
    /// <exception cref="ConfUpdateOutcomeUnknownException">The connection was lost after the server read the request: it may or may not have installed the content. Never re-sent.</exception>
    Task<ContentVersion> ReplaceAsync(string target, ReadOnlyMemory<byte> content, ContentVersion? expectedVersion = null, CancellationToken cancellationToken = default);

    /// <summary>Reads whether <paramref name="target"/> exists, its size and its version (SPEC OP-3).</summary>
    Task<TargetVersion> GetVersionAsync(string target, CancellationToken cancellationToken = default);
}
