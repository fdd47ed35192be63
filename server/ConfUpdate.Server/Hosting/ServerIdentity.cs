using System.Reflection;

namespace ConfUpdate.Server.Hosting;

/// <summary>What the server says about itself in HELLO (SPEC OP-1).</summary>
/// <param name="Version">The assembly's informational version (e.g. <c>1.0.0+abc123</c>).</param>
internal sealed record ServerIdentity(string Version)
{
    /// <summary>This build's identity.</summary>
    public static ServerIdentity Current { get; } = new(
        typeof(ServerIdentity).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0");
}
