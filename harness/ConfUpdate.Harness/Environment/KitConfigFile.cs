using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

// The JSON keys are the CONF-1 wire format, not C# member names, even where they coincide.
#pragma warning disable CA1507

namespace ConfUpdate.Harness.Environment;

/// <summary>
/// A server configuration in the SPEC CONF-1 JSON format, as the kit writes it for any implementation
/// under test. Immutable; build variants with <c>with</c>. Absent (<c>null</c>) settings are omitted so
/// that the server's defaults apply.
/// </summary>
/// <param name="Socket">Where the server listens.</param>
/// <param name="Allow">Who is allowed.</param>
/// <param name="Targets">The targets.</param>
public sealed record KitConfigFile(KitSocketConfig Socket, KitAllowConfig Allow, IReadOnlyList<KitTargetConfig> Targets)
{
    private static readonly JsonSerializerOptions s_indented = new() { WriteIndented = true };

    /// <summary>The server name announced in HELLO; <c>null</c> leaves the implementation's own.</summary>
    public string? ServerName { get; init; }

    /// <summary>The maximum request size <em>M</em> (SPEC FRAME-4); <c>null</c> means 65536.</summary>
    public int? MaxRequestSize { get; init; }

    /// <summary>Limits; <c>null</c> leaves every default.</summary>
    public KitLimitsConfig? Limits { get; init; }

    /// <summary>
    /// A key CONF-1 does not define, to check that a server refuses it (SPEC CONF-3): its parent's path from the
    /// document root (e.g. <c>["ConfUpdate", "Socket"]</c>, <c>["ConfUpdate", "Targets", "0"]</c>) and its name.
    /// The value is a string; <c>null</c> adds nothing.
    /// </summary>
    public (IReadOnlyList<string> Parent, string Name)? UnknownKey { get; init; }

    /// <summary>Formats a mode as the octal string CONF-1 expects (<c>"0640"</c>).</summary>
    public static string FormatMode(UnixFileMode mode) => Convert.ToString((int)mode, 8).PadLeft(4, '0');

    /// <summary>Parses an octal mode string such as <c>"0640"</c>.</summary>
    /// <exception cref="FormatException">The text is not an octal number up to 07777.</exception>
    public static UnixFileMode ParseMode(string octal)
    {
        ArgumentNullException.ThrowIfNull(octal);
        if (octal.Length is 0 or > 5 || octal.Any(c => c is < '0' or > '7'))
        {
            throw new FormatException($"A mode is an octal number such as 0640; got \"{octal}\".");
        }

        int value = Convert.ToInt32(octal, 8);
        return value <= 0xFFF ? (UnixFileMode)value : throw new FormatException($"A mode is at most 07777; got \"{octal}\".");
    }

    /// <summary>The CONF-1 JSON text.</summary>
    public string ToJson() => ToJsonNode().ToJsonString(s_indented);

    /// <summary>Writes the CONF-1 JSON to <paramref name="path"/> (mode 0644: servers running as root read it; nothing in it is secret).</summary>
    public void WriteTo(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        File.WriteAllText(path, ToJson());
        UnixFiles.SetMode(path, UnixFiles.Mode0644);
    }

    /// <summary>The CONF-1 document as a JSON tree.</summary>
    public JsonObject ToJsonNode()
    {
        var root = new JsonObject();
        AddIfSet(root, "ServerName", ServerName);
        AddIfSet(root, "MaxRequestSize", MaxRequestSize);

        var socket = new JsonObject { ["Path"] = Socket.Path };
        AddIfSet(socket, "Owner", Socket.Owner);
        AddIfSet(socket, "Group", Socket.Group);
        AddIfSet(socket, "Mode", Socket.Mode is { } socketMode ? FormatMode(socketMode) : null);
        root["Socket"] = socket;

        root["Allow"] = new JsonObject
        {
            ["Users"] = new JsonArray([.. Allow.Users.Select(u => JsonValue.Create(u))]),
            ["Groups"] = new JsonArray([.. Allow.Groups.Select(g => JsonValue.Create(g))]),
            ["Uids"] = new JsonArray([.. Allow.Uids.Select(u => JsonValue.Create(u))]),
        };

        if (Limits is not null)
        {
            var limits = new JsonObject();
            AddIfSet(limits, "IdleTimeoutSeconds", Limits.IdleTimeoutSeconds);
            AddIfSet(limits, "MaxConnections", Limits.MaxConnections);
            AddIfSet(limits, "MaxConnectionsPerUid", Limits.MaxConnectionsPerUid);
            AddIfSet(limits, "ShutdownGraceSeconds", Limits.ShutdownGraceSeconds);
            AddIfSet(limits, "ValidatorTimeoutSeconds", Limits.ValidatorTimeoutSeconds);
            root["Limits"] = limits;
        }

        var targets = new JsonArray();
        foreach (KitTargetConfig target in Targets)
        {
            var node = new JsonObject { ["Name"] = target.Name, ["Path"] = target.Path };
            AddIfSet(node, "Owner", target.Owner);
            AddIfSet(node, "Group", target.Group);
            AddIfSet(node, "Mode", target.Mode is { } mode ? FormatMode(mode) : null);
            AddIfSet(node, "MaxSize", target.MaxSize);
            if (target.Validator is not null)
            {
                node["Validator"] = new JsonArray([.. target.Validator.Select(a => JsonValue.Create(a))]);
            }

            targets.Add(node);
        }

        root["Targets"] = targets;
        var document = new JsonObject { ["ConfUpdate"] = root };
        if (UnknownKey is { } unknown)
        {
            JsonNode parent = document;
            foreach (string step in unknown.Parent)
            {
                parent = (int.TryParse(step, NumberStyles.None, CultureInfo.InvariantCulture, out int index) ? parent[index] : parent[step])
                    ?? throw new InvalidOperationException($"The configuration has no {string.Join('.', unknown.Parent)} to add {unknown.Name} to.");
            }

            parent.AsObject()[unknown.Name] = "0600";
        }

        return document;
    }

    private static void AddIfSet(JsonObject node, string key, string? value)
    {
        if (value is not null)
        {
            node[key] = value;
        }
    }

    private static void AddIfSet(JsonObject node, string key, int? value)
    {
        if (value is int v)
        {
            node[key] = v;
        }
    }

    /// <inheritdoc />
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"CONF-1 config: socket {Socket.Path}, {Targets.Count} target(s)");
}
