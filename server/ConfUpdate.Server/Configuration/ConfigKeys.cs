using Microsoft.Extensions.Configuration;

namespace ConfUpdate.Server.Configuration;

/// <summary>
/// The keys SPEC CONF-1 defines, level by level. Anything else is a configuration error (SPEC CONF-3): a
/// misspelt <c>Alow</c> must not leave a root service listening with nobody allowed.
/// </summary>
internal static class ConfigKeys
{
    /// <summary>Keys directly under <c>ConfUpdate</c>.</summary>
    public static readonly string[] Section = ["ServerName", "MaxRequestSize", "Socket", "Allow", "Limits", "Targets"];

    /// <summary>Keys under <c>ConfUpdate:Socket</c>.</summary>
    public static readonly string[] Socket = ["Path", "Owner", "Group", "Mode"];

    /// <summary>Keys under <c>ConfUpdate:Allow</c>.</summary>
    public static readonly string[] Allow = ["Users", "Uids", "Groups"];

    /// <summary>Keys under <c>ConfUpdate:Limits</c>.</summary>
    public static readonly string[] Limits =
        ["IdleTimeoutSeconds", "MaxConnections", "MaxConnectionsPerUid", "ShutdownGraceSeconds", "ValidatorTimeoutSeconds"];

    /// <summary>Keys of one entry of <c>ConfUpdate:Targets</c>.</summary>
    public static readonly string[] Target = ["Name", "Path", "Owner", "Group", "Mode", "MaxSize", "Validator"];

    /// <summary>Throws for the first child of <paramref name="section"/> that is not one of <paramref name="known"/> (names are case-insensitive).</summary>
    /// <exception cref="ConfigException">An unknown key, named with its full path and the closest valid key.</exception>
    public static void RequireKnown(IConfigurationSection section, IReadOnlyList<string> known)
    {
        ArgumentNullException.ThrowIfNull(section);
        foreach (IConfigurationSection child in section.GetChildren())
        {
            if (!known.Contains(child.Key, StringComparer.OrdinalIgnoreCase))
            {
                throw Unknown(child.Path, child.Key, known);
            }
        }
    }

    /// <summary>Throws for the first child of a list section whose key is not an index (an object where a JSON array belongs).</summary>
    /// <exception cref="ConfigException">A named child under a list.</exception>
    public static void RequireIndices(IConfigurationSection section)
    {
        ArgumentNullException.ThrowIfNull(section);
        foreach (IConfigurationSection child in section.GetChildren())
        {
            if (child.Key.Length == 0 || !child.Key.All(char.IsAsciiDigit))
            {
                throw new ConfigException(child.Path, null, $"unknown key: {section.Path} is a list (JSON array), not an object");
            }
        }
    }

    /// <summary>The error for an unknown key, with the closest valid one and the full list.</summary>
    public static ConfigException Unknown(string path, string key, IReadOnlyList<string> known)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(known);
        string parent = path.Length > key.Length ? path[..(path.Length - key.Length)] : "";
        return new ConfigException(path, null,
            $"unknown key; did you mean {parent}{Closest.To(key, known)}? (valid here: {string.Join(", ", known)})");
    }
}
