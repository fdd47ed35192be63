using System.Globalization;
using System.Text;
using ConfUpdate.Native;
using ConfUpdate.Protocol;
using Microsoft.Extensions.Configuration;

namespace ConfUpdate.Server.Configuration;

/// <summary>
/// Reads and validates the <c>ConfUpdate</c> section (SPEC CONF-1, CONF-2) into an immutable
/// <see cref="ServerConfig"/>. Every problem throws a <see cref="ConfigException"/> naming the full
/// key and the offending value; nothing is defaulted silently except absent keys, and a key the format
/// does not define is an error (SPEC CONF-3). User and group names are resolved here, once.
/// </summary>
internal static class ConfigReader
{
    /// <summary>Reads the section; the server's own uid and gid are the default owner and group.</summary>
    /// <exception cref="ConfigException">A key is unknown or has an invalid value.</exception>
    public static ServerConfig Read(IConfigurationSection section, uint ownUid, uint ownGid)
    {
        ArgumentNullException.ThrowIfNull(section);
        ConfigKeys.RequireKnown(section, ConfigKeys.Section);
        string serverName = section["ServerName"] ?? ConfigDefaults.ServerName;
        if (Encoding.UTF8.GetByteCount(serverName) is 0 or > 255)
        {
            throw new ConfigException(Key(section, "ServerName"), serverName, "must be 1 to 255 UTF-8 bytes");
        }

        int max = Int(section, "MaxRequestSize", ConfigDefaults.MaxRequestSize, ProtocolLimits.MinMaxRequestSize, ConfigDefaults.MaxMaxRequestSize);
        SocketConfig socket = ReadSocket(section.GetSection("Socket"), ownUid, ownGid);
        AccessPolicy access = ReadAccess(section.GetSection("Allow"));
        LimitsConfig limits = ReadLimits(section.GetSection("Limits"));
        IReadOnlyList<TargetConfig> targets = ReadTargets(section, max, ownUid, ownGid);
        return new ServerConfig(serverName, max, socket, access, limits, targets);
    }

    private static SocketConfig ReadSocket(IConfigurationSection section, uint ownUid, uint ownGid)
    {
        ConfigKeys.RequireKnown(section, ConfigKeys.Socket);
        string pathKey = Key(section, "Path");
        string raw = section["Path"] ?? ConfigDefaults.SocketPath;
        if (raw.Length == 0 || raw.Contains('\0', StringComparison.Ordinal))
        {
            throw new ConfigException(pathKey, raw, "expected a filesystem path (the abstract namespace is not supported)");
        }

        string path = Path.GetFullPath(raw);
        if (Encoding.UTF8.GetByteCount(path) > ConfigDefaults.MaxSocketPathBytes)
        {
            throw new ConfigException(pathKey, path, $"longer than {ConfigDefaults.MaxSocketPathBytes} bytes, the limit of sockaddr_un.sun_path");
        }

        string? directory = Path.GetDirectoryName(path);
        if (directory is null || !Directory.Exists(directory))
        {
            throw new ConfigException(pathKey, path, $"directory {directory} does not exist");
        }

        return new SocketConfig(
            path,
            UserOrDefault(section, "Owner", ownUid),
            GroupOrDefault(section, "Group", ownGid),
            Mode(section, "Mode", ConfigDefaults.SocketMode));
    }

    private static AccessPolicy ReadAccess(IConfigurationSection section)
    {
        ConfigKeys.RequireKnown(section, ConfigKeys.Allow);
        var uids = new List<uint>();
        var gids = new List<uint>();
        foreach (IConfigurationSection user in List(section, "Users"))
        {
            uids.Add(ResolveUser(user.Path, user.Value));
        }

        foreach (IConfigurationSection uid in List(section, "Uids"))
        {
            uids.Add(ParseId(uid.Path, uid.Value, "user id"));
        }

        foreach (IConfigurationSection group in List(section, "Groups"))
        {
            gids.Add(ResolveGroup(group.Path, group.Value));
        }

        return new AccessPolicy(uids, gids);
    }

    private static LimitsConfig ReadLimits(IConfigurationSection section)
    {
        ConfigKeys.RequireKnown(section, ConfigKeys.Limits);
        return new(
            Seconds(section, "IdleTimeoutSeconds", ConfigDefaults.IdleTimeoutSeconds, allowZero: false),
            Int(section, "MaxConnections", ConfigDefaults.MaxConnections, 1, 1_000_000),
            Int(section, "MaxConnectionsPerUid", ConfigDefaults.MaxConnectionsPerUid, 1, 1_000_000),
            Seconds(section, "ShutdownGraceSeconds", ConfigDefaults.ShutdownGraceSeconds, allowZero: true),
            Seconds(section, "ValidatorTimeoutSeconds", ConfigDefaults.ValidatorTimeoutSeconds, allowZero: false));
    }

    private static List<TargetConfig> ReadTargets(IConfigurationSection root, int maxRequestSize, uint ownUid, uint ownGid)
    {
        var targets = new List<TargetConfig>();
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        var paths = new Dictionary<string, string>(StringComparer.Ordinal);
        int defaultMaxSize = maxRequestSize - ConfigDefaults.MaxReplaceOverhead;
        foreach (IConfigurationSection target in List(root, "Targets"))
        {
            ConfigKeys.RequireKnown(target, ConfigKeys.Target);
            string nameKey = Key(target, "Name");
            string name = target["Name"] ?? throw new ConfigException(nameKey, null, "missing: every target needs a name");
            if (Encoding.UTF8.GetByteCount(name) is 0 or > ProtocolLimits.MaxTargetNameBytes)
            {
                throw new ConfigException(nameKey, name, $"a target name has 1 to {ProtocolLimits.MaxTargetNameBytes} UTF-8 bytes");
            }

            if (names.TryGetValue(name, out string? first))
            {
                throw new ConfigException(nameKey, name, $"duplicate target name (also {first})");
            }

            names.Add(name, nameKey);
            string path = TargetPath(target);
            if (paths.TryGetValue(path, out string? firstPath))
            {
                throw new ConfigException(Key(target, "Path"), path, $"two targets name the same file (also {firstPath})");
            }

            paths.Add(path, Key(target, "Path"));
            targets.Add(new TargetConfig(
                name,
                path,
                UserOrDefault(target, "Owner", ownUid),
                GroupOrDefault(target, "Group", ownGid),
                Mode(target, "Mode", ConfigDefaults.TargetMode),
                Int(target, "MaxSize", defaultMaxSize, 0, int.MaxValue),
                Validator(target)));
        }

        return targets;
    }

    private static string TargetPath(IConfigurationSection target)
    {
        string key = Key(target, "Path");
        string path = target["Path"] ?? throw new ConfigException(key, null, "missing: every target needs an absolute path");
        if (!path.StartsWith('/') || path.EndsWith('/') || path.Contains('\0', StringComparison.Ordinal))
        {
            throw new ConfigException(key, path, "expected an absolute path to a file");
        }

        string full = Path.GetFullPath(path);
        string? directory = Path.GetDirectoryName(full);
        string file = Path.GetFileName(full);
        if (directory is null || file.Length == 0)
        {
            throw new ConfigException(key, path, "expected an absolute path to a file");
        }

        if (!Directory.Exists(directory))
        {
            throw new ConfigException(key, path, $"target directory {directory} does not exist");
        }

        return full;
    }

    private static List<string>? Validator(IConfigurationSection target)
    {
        List<IConfigurationSection> items = List(target, "Validator");
        if (items.Count == 0)
        {
            return null;
        }

        var argv = new List<string>();
        foreach (IConfigurationSection item in items)
        {
            if (string.IsNullOrEmpty(item.Value))
            {
                throw new ConfigException(item.Path, item.Value, "a validator argument must be a non-empty string");
            }

            argv.Add(item.Value);
        }

        if (!argv[0].StartsWith('/'))
        {
            throw new ConfigException(items[0].Path, argv[0], "the validator program must be an absolute path (no PATH search, no shell)");
        }

        return argv;
    }

    /// <summary>The children of an array key; a scalar where a list belongs is an error.</summary>
    private static List<IConfigurationSection> List(IConfiguration parent, string key)
    {
        IConfigurationSection section = parent.GetSection(key);
        if (section.Value is { Length: > 0 } scalar)
        {
            throw new ConfigException(section.Path, scalar, "expected a list (JSON array)");
        }

        ConfigKeys.RequireIndices(section);
        return [.. section.GetChildren()];
    }

    private static uint UserOrDefault(IConfigurationSection section, string key, uint fallback) =>
        section[key] is { } value ? ResolveUser(Key(section, key), value) : fallback;

    private static uint GroupOrDefault(IConfigurationSection section, string key, uint fallback) =>
        section[key] is { } value ? ResolveGroup(Key(section, key), value) : fallback;

    /// <summary>A user name, or a numeric uid (as chown(1) does: the name wins, then the number).</summary>
    internal static uint ResolveUser(string key, string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            throw new ConfigException(key, value, "expected a user name or numeric uid");
        }

        return Lookup(key, value, name => UserDatabase.UserByName(name)?.Uid) ?? TryId(value) ?? throw new ConfigException(key, value, "no such user");
    }

    /// <summary>A group name, or a numeric gid.</summary>
    internal static uint ResolveGroup(string key, string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            throw new ConfigException(key, value, "expected a group name or numeric gid");
        }

        return Lookup(key, value, UserDatabase.GroupIdByName) ?? TryId(value) ?? throw new ConfigException(key, value, "no such group");
    }

    private static uint? Lookup(string key, string value, Func<string, uint?> lookup)
    {
        try
        {
            return lookup(value);
        }
        catch (IOException ex)
        {
            throw new ConfigException(key, value, $"user database lookup failed: {ex.Message}", ex);
        }
    }

    private static uint ParseId(string key, string? value, string what) =>
        TryId(value) ?? throw new ConfigException(key, value, $"expected a numeric {what} from 0 to 4294967294");

    // (uid_t)-1 means "unchanged" to chown and is never a real id.
    private static uint? TryId(string? value) =>
        value is { Length: > 0 } && value.All(char.IsAsciiDigit) && uint.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out uint id) && id != uint.MaxValue
            ? id
            : null;

    private static UnixFileMode Mode(IConfigurationSection section, string key, UnixFileMode fallback)
    {
        string? value = section[key];
        if (value is null)
        {
            return fallback;
        }

        return FileModeParser.TryParse(value, out UnixFileMode mode, out string problem)
            ? mode
            : throw new ConfigException(Key(section, key), value, problem);
    }

    private static int Int(IConfigurationSection section, string key, int fallback, int min, int max)
    {
        string? value = section[key];
        if (value is null)
        {
            return fallback;
        }

        if (!int.TryParse(value, NumberStyles.AllowLeadingWhite | NumberStyles.AllowTrailingWhite, CultureInfo.InvariantCulture, out int result))
        {
            throw new ConfigException(Key(section, key), value, $"expected an integer from {min} to {max}");
        }

        return result >= min && result <= max
            ? result
            : throw new ConfigException(Key(section, key), value, $"out of range: expected {min} to {max}");
    }

    private static TimeSpan Seconds(IConfigurationSection section, string key, double fallback, bool allowZero)
    {
        string? value = section[key];
        if (value is null)
        {
            return TimeSpan.FromSeconds(fallback);
        }

        const double MaxSeconds = 86_400;
        if (!double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out double seconds)
            || double.IsNaN(seconds) || seconds < 0 || (seconds == 0 && !allowZero) || seconds > MaxSeconds)
        {
            throw new ConfigException(Key(section, key), value,
                $"expected a number of seconds {(allowZero ? "from 0" : "above 0")} up to {MaxSeconds}");
        }

        return TimeSpan.FromSeconds(seconds);
    }

    private static string Key(IConfigurationSection section, string key) => $"{section.Path}:{key}";
}
