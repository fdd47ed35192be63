using ConfUpdate.Server.Audit;

namespace ConfUpdate.Server.Configuration;

/// <summary>
/// A configuration (or start-up environment) error: the server must not listen (SPEC CONF-2). The
/// message names the key, the offending value and the problem, e.g.
/// <c>ConfUpdate:Allow:Users:0 = "no-such-user": no such user</c>.
/// </summary>
internal sealed class ConfigException : Exception
{
    /// <summary>Creates the error for a key whose value is wrong.</summary>
    public ConfigException(string key, string? value, string problem)
        : base(value is null ? $"{key}: {problem}" : $"{key} = {AuditText.Quote(value)}: {problem}")
    {
        Key = key;
        Value = value;
        Problem = problem;
    }

    /// <summary>Creates the error for a key whose value is wrong, with the failure behind it.</summary>
    public ConfigException(string key, string? value, string problem, Exception inner)
        : base(value is null ? $"{key}: {problem}" : $"{key} = {AuditText.Quote(value)}: {problem}", inner)
    {
        Key = key;
        Value = value;
        Problem = problem;
    }

    /// <summary>The configuration key (e.g. <c>ConfUpdate:Targets:0:Mode</c>) or environment variable.</summary>
    public string Key { get; }

    /// <summary>The offending value, or null when the key is missing.</summary>
    public string? Value { get; }

    /// <summary>What is wrong with it.</summary>
    public string Problem { get; }
}
