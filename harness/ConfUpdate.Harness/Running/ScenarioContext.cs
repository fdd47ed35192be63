using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.RegularExpressions;
using ConfUpdate.Harness.Environment;
using ConfUpdate.Harness.Probe;
using ConfUpdate.Harness.Scenarios;
using ConfUpdate.Protocol;

namespace ConfUpdate.Harness.Running;

/// <summary>The state of one running scenario: its directories, targets, server, probes and transcript.</summary>
internal sealed partial class ScenarioContext
{
    private readonly ConcurrentQueue<TranscriptEntry> _transcript = new();
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private int _nextRequestId;

    public required Scenario Scenario { get; init; }

    /// <summary>Short unique key (<c>s12</c>) used in configured target names and connection names.</summary>
    public required string Key { get; init; }

    /// <summary>The scenario's directory: targets/ and kit/ inside.</summary>
    public required string Directory { get; init; }

    public string TargetDirectory => Path.Combine(Directory, "targets");

    public string KitDirectory => Path.Combine(Directory, "kit");

    public required RunOptions Options { get; init; }

    public required IReadOnlyDictionary<string, UnixAccount> Accounts { get; init; }

    public required SizeContext Sizes { get; set; }

    public required ServerHost Server { get; set; }

    public required Func<UnixAccount, ProbeClient> Probes { get; init; }

    /// <summary>Initial bytes of each target (or of its symlink's victim), for <c>unchanged</c> checks.</summary>
    public Dictionary<string, byte[]?> InitialContent { get; } = new(StringComparer.Ordinal);

    /// <summary>The scenario's targets by local name.</summary>
    public IReadOnlyDictionary<string, TargetSetup> Targets => Scenario.Targets.Count > 0
        ? Scenario.Targets
        : new Dictionary<string, TargetSetup> { ["t"] = new TargetSetup() };

    public IReadOnlyList<TranscriptEntry> Transcript => [.. _transcript];

    public void RestartClock() => _clock.Restart();

    /// <summary>Connections this scenario opened, by probe connection name, with the account that holds them.</summary>
    public ConcurrentDictionary<string, UnixAccount> OpenConnections { get; } = new(StringComparer.Ordinal);

    public uint NextRequestId() => (uint)Interlocked.Increment(ref _nextRequestId);

    public string ConfiguredName(string local) => Targets.ContainsKey(local) ? $"{Key}-{local}" : Expand(local);

    public string TargetPath(string local) =>
        Targets.TryGetValue(local, out TargetSetup? setup) && setup.DirectoryLink
            ? Path.Combine(TargetDirectory, DirectoryLinkName(local), local)
            : Path.Combine(TargetDirectory, local);

    /// <summary>The entry in the target directory that is a link to <see cref="VictimDirectory"/> (SPEC TGT-6).</summary>
    public static string DirectoryLinkName(string local) => local + ".dir";

    /// <summary>Where a <c>directory_link</c> target's directory link points: a directory that must stay empty.</summary>
    public string VictimDirectory(string local) => Path.Combine(KitDirectory, "victim-dir-" + local);

    public string VictimPath(string local) => Path.Combine(KitDirectory, "victim-" + local);

    public string ConnectionName(string conn) => $"{Key}:{conn}";

    public UnixAccount Account(string role) =>
        Accounts.TryGetValue(role, out UnixAccount? account)
            ? account
            : throw new KitEnvironmentException($"Scenario '{Scenario.Id}' acts as role '{role}', which the role map does not name (known: {string.Join(", ", Accounts.Keys)}).");

    public ContentVersion CurrentVersion(string local)
    {
        string path = TargetPath(local);
        return File.Exists(path) ? ContentVersion.Of(File.ReadAllBytes(path)) : ContentVersion.Absent;
    }

    public void Log(string role, string direction, string text) =>
        _transcript.Enqueue(new TranscriptEntry(_clock.Elapsed.TotalMilliseconds, role, direction, text));

    public string Who(string role) => Accounts.TryGetValue(role, out UnixAccount? a) ? $"{role}/{a.Name}" : role;

    /// <summary>
    /// Replaces <c>${uid:role}</c>, <c>${gid:role}</c>, <c>${user:role}</c>, <c>${target:local}</c> (configured name),
    /// <c>${name:x}</c> (what a local target <c>x</c> would be called), <c>${path:local}</c>, <c>${dir}</c>, <c>${socket}</c>.
    /// </summary>
    public string Expand(string text) => Placeholder().Replace(text, match =>
    {
        string kind = match.Groups["kind"].Value;
        string arg = match.Groups["arg"].Value;
        return kind switch
        {
            "uid" => Account(arg).Uid.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "gid" => Account(arg).Gid.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "user" => Account(arg).Name,
            "target" => ConfiguredName(arg),
            "name" => $"{Key}-{arg}",
            "dir" => TargetDirectory,
            "path" => TargetPath(arg),
            "socket" => Server.SocketPath,
            _ => match.Value,
        };
    });

    [GeneratedRegex(@"\$\{(?<kind>[a-z]+)(?::(?<arg>[^}]*))?\}")]
    private static partial Regex Placeholder();
}
