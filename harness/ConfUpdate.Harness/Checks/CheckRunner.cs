using System.Globalization;
using System.Net.Sockets;
using ConfUpdate.Harness.Running;
using ConfUpdate.Harness.Scenarios;
using ConfUpdate.Protocol;

namespace ConfUpdate.Harness.Checks;

/// <summary>Checks a scenario's side effects after its steps: files, socket, server, descriptors, audit lines.</summary>
internal static class CheckRunner
{
    // The .NET runtime of a server may open a few descriptors lazily (an eventfd for a new thread-pool
    // path, say). A leak of one descriptor per connection shows as dozens in conn.descriptors-released,
    // so a small allowance keeps the check meaningful without flaking.
    private const int FdAllowance = 4;

    // How long the server's side effects may lag behind the steps before a check gives up, before the run's time
    // scale: an install in flight for a client that left, a closed connection's descriptor, an audit line still
    // in the logger's queue. Passing checks return as soon as the state is right; only failures wait this long.
    private const int SettleMs = 5000;

    public static async Task<List<string>> RunAsync(ScenarioContext context, int? fdBaseline, CancellationToken cancellationToken)
    {
        var failures = new List<string>();
        foreach (Check check in context.Scenario.Checks)
        {
            string? failure = await RunAsync(context, check, fdBaseline, cancellationToken).ConfigureAwait(false);
            if (failure is not null)
            {
                failures.Add(failure);
            }

            context.Log("kit", "!", $"check {Describe(check)}: {failure ?? "ok"}");
        }

        // Implicit for every scenario (DUR-2, CONN-1): no temporary file outlives its request, the server survives.
        string? temp = await TempFilesAsync(context, cancellationToken).ConfigureAwait(false);
        if (temp is not null)
        {
            failures.Add(temp);
        }

        bool expectDown = context.Scenario.Server?.ExpectStart == "fail" || context.Server.StoppedOnPurpose
            || context.Scenario.Checks.Any(c => c.ServerAlive == false);
        if (!expectDown && !context.Server.IsAlive)
        {
            failures.Add($"the server is no longer running (exit code {context.Server.Process?.ExitCode}) (SPEC CONN-1)");
        }

        return failures;
    }

    private static string Describe(Check check) => ExpectationJson(check);

    private static readonly System.Text.Json.JsonSerializerOptions s_json = new()
    {
        PropertyNamingPolicy = System.Text.Json.JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
    };

    private static string ExpectationJson(Check check) => System.Text.Json.JsonSerializer.Serialize(check, s_json);

    private static async Task<string?> RunAsync(ScenarioContext context, Check check, int? fdBaseline, CancellationToken cancellationToken)
    {
        if (check.Target is { } target)
        {
            return TargetCheck(context, target, check);
        }

        if (check.Socket == true)
        {
            return SocketCheck(context, check);
        }

        if (check.PreStartUntouched == true)
        {
            return PreStartCheck(context);
        }

        if (check.NoTempFiles == true)
        {
            return await TempFilesAsync(context, cancellationToken).ConfigureAwait(false);
        }

        if (check.NoStrayFiles == true)
        {
            string[] stray = Directory.EnumerateFileSystemEntries(context.TargetDirectory)
                .Select(Path.GetFileName).OfType<string>()
                .Where(name => !context.Targets.ContainsKey(name) && !IsDirectoryLink(context, name)).ToArray();
            return stray.Length == 0 ? null : $"files the server must not write are in the target directory: {string.Join(", ", stray)} (SPEC DUR-3)";
        }

        if (check.ServerAlive is { } alive)
        {
            return context.Server.IsAlive == alive ? null : alive ? "the server is not running" : "the server is still running";
        }

        if (check.ServerExit is { } exit)
        {
            if (context.Server.IsAlive)
            {
                bool exited = await context.Server.WaitForExitAsync(TimeSpan.FromSeconds(5), cancellationToken).ConfigureAwait(false);
                if (!exited)
                {
                    return $"expected the server to exit ({exit}) within 5 s, it is still running (SPEC PROF-3)";
                }
            }

            int? code = context.Server.LastExitCode ?? context.Server.Process?.ExitCode;
            bool ok = exit == "nonzero" ? code is not null and not 0 : code?.ToString(CultureInfo.InvariantCulture) == exit;
            return ok ? null : $"expected server exit code {exit}, got {code?.ToString(CultureInfo.InvariantCulture) ?? "none"}";
        }

        if (check.ServerStderrContains is { } text)
        {
            string expanded = context.Expand(text);
            return context.Server.OutputLines.Any(l => l.Contains(expanded, StringComparison.Ordinal))
                ? null
                : $"expected the server's output to mention '{expanded}'";
        }

        if (check.FdsBaseline == true)
        {
            return await FdCheckAsync(context, fdBaseline, cancellationToken).ConfigureAwait(false);
        }

        if (check.Audit is { } audit)
        {
            return await AuditCheckAsync(context, audit, present: true, cancellationToken).ConfigureAwait(false);
        }

        if (check.NoAudit is { } noAudit)
        {
            return await AuditCheckAsync(context, noAudit, present: false, cancellationToken).ConfigureAwait(false);
        }

        return null;
    }

    private static string? TargetCheck(ScenarioContext context, string local, Check check)
    {
        string path = context.TargetPath(local);
        FileFacts? status = FileFacts.Of(path);
        if (check.Absent is { } absent && (status is null) != absent)
        {
            return absent ? $"target {local}: expected no file at {path}, found a {status!.Type} (SPEC TGT-1, STAT-2)" : $"target {local}: expected a file at {path}, found none";
        }

        if (check.IsSymlink is { } link && (status?.Type == "symbolic link") != link)
        {
            return $"target {local}: expected {(link ? "a symbolic link" : "no symbolic link")} at {path}, found {status?.Type ?? "nothing"} (SPEC TGT-5)";
        }

        if (check.Content is { } content)
        {
            byte[] expected = content.Resolve(context.Sizes);
            if (status?.Type.StartsWith("regular", StringComparison.Ordinal) != true)
            {
                return $"target {local}: expected a regular file with {expected.Length} bytes, found {status?.Type ?? "nothing"}";
            }

            byte[] actual = File.ReadAllBytes(path);
            if (!actual.AsSpan().SequenceEqual(expected))
            {
                return $"target {local}: expected {expected.Length} bytes (sha256 {ContentVersion.Of(expected)}), found {actual.Length} bytes (sha256 {ContentVersion.Of(actual)})";
            }
        }

        if (check.ContentAnyOf is { } candidates)
        {
            byte[]? actual = status?.Type.StartsWith("regular", StringComparison.Ordinal) == true ? File.ReadAllBytes(path) : null;
            if (actual is null || !candidates.Any(c => c.Resolve(context.Sizes).AsSpan().SequenceEqual(actual)))
            {
                return $"target {local}: expected exactly one of {candidates.Count} whole contents, found {(actual is null ? "no file" : $"{actual.Length} bytes (sha256 {ContentVersion.Of(actual)})")} (SPEC DUR-4)";
            }
        }

        if (check.Unchanged == true)
        {
            TargetSetup setup = context.Targets[local];
            string which = setup.Symlink ? context.VictimPath(local) : path;
            byte[]? initial = context.InitialContent.GetValueOrDefault(local);
            byte[]? now = File.Exists(which) && FileFacts.Of(which)?.Type.StartsWith("regular", StringComparison.Ordinal) == true ? File.ReadAllBytes(which) : null;
            if (initial is null ? now is not null : now is null || !now.AsSpan().SequenceEqual(initial))
            {
                return $"target {local}: expected {(setup.Symlink ? "the symlink's victim " : "")}{which} unchanged ({initial?.Length.ToString(CultureInfo.InvariantCulture) ?? "absent"} bytes), found {now?.Length.ToString(CultureInfo.InvariantCulture) ?? "absent"} bytes";
            }

            if (setup.Symlink && FileFacts.Of(path)?.Type != "symbolic link")
            {
                return $"target {local}: the symbolic link at {path} was replaced (SPEC TGT-5)";
            }
        }

        if (check.Owner is not null || check.Group is not null || check.Mode is not null)
        {
            if (status is null)
            {
                return $"target {local}: no file at {path} to check owner/group/mode";
            }

            string? owner = check.Owner is null ? null : context.Expand(check.Owner);
            string? group = check.Group is null ? null : context.Expand(check.Group);
            if ((owner is not null && owner != status.Owner) || (group is not null && group != status.Group) || (check.Mode is not null && !status.ModeIs(check.Mode)))
            {
                return $"target {local}: expected {owner ?? "*"}:{group ?? "*"} {check.Mode ?? "*"}, found {status.Owner}:{status.Group} {status.Mode} (SPEC TGT-3)";
            }
        }

        return null;
    }

    private static string? SocketCheck(ScenarioContext context, Check check)
    {
        string path = context.Server.SocketPath;
        FileFacts? status = FileFacts.Of(path);
        bool exists = check.Exists ?? true;
        if ((status is not null) != exists)
        {
            return exists ? $"expected the socket file {path}, found nothing" : $"expected no socket file at {path}, found a {status!.Type} (SPEC LIFE-1)";
        }

        if (status is null)
        {
            return null;
        }

        if (status.Type != "socket")
        {
            return $"expected a socket at {path}, found a {status.Type}";
        }

        string? owner = check.Owner is null ? null : context.Expand(check.Owner);
        string? group = check.Group is null ? null : context.Expand(check.Group);
        if ((owner is not null && owner != status.Owner) || (group is not null && group != status.Group) || (check.Mode is not null && !status.ModeIs(check.Mode)))
        {
            return $"socket {path}: expected {owner ?? "*"}:{group ?? "*"} {check.Mode ?? "*"}, found {status.Owner}:{status.Group} {status.Mode} (SPEC TRANS-2)";
        }

        return null;
    }

    private static string? PreStartCheck(ScenarioContext context)
    {
        string path = context.Server.SocketPath;
        FileFacts? status = FileFacts.Of(path);
        switch (context.Scenario.Server?.PreStart)
        {
            case "regular_file":
                return status?.Type.StartsWith("regular", StringComparison.Ordinal) == true && File.ReadAllText(path) == ScenarioPreparation.RegularFileText
                    ? null : $"the regular file at {path} was changed or removed (found {status?.Type ?? "nothing"}) (SPEC TRANS-3)";
            case "symlink":
                return status?.Type == "symbolic link" ? null : $"the symbolic link at {path} was changed or removed (found {status?.Type ?? "nothing"}) (SPEC TRANS-3)";
            case "directory":
                return status?.Type == "directory" ? null : $"the directory at {path} was changed or removed (SPEC TRANS-3)";
            case "live_server":
                if (status?.Type != "socket")
                {
                    return $"the live server's socket at {path} was removed (SPEC TRANS-3)";
                }

                try
                {
                    using Socket probe = SeqPacket.Create();
                    probe.Connect(new UnixDomainSocketEndPoint(path));
                    return null;
                }
                catch (SocketException ex)
                {
                    return $"the live server's socket at {path} no longer accepts connections ({ex.SocketErrorCode}) (SPEC TRANS-3)";
                }

            default:
                return null;
        }
    }

    private static async Task<string?> TempFilesAsync(ScenarioContext context, CancellationToken cancellationToken)
    {
        // A request whose client has gone (durability.close-before-reply) is still being installed when the steps
        // end, and its temporary file exists until the rename: only one that outlives the settle time is left behind.
        string[] temps = await SettleAsync(context, () => TempFileNames(context), t => t.Length == 0, cancellationToken).ConfigureAwait(false);
        if (temps.Length != 0)
        {
            return $"temporary files left in {context.TargetDirectory}: {string.Join(", ", temps)} (SPEC DUR-2)";
        }

        // TGT-6: a directory_link target's victim directory must stay empty: no temporary file, no content.
        foreach ((string local, TargetSetup setup) in context.Targets)
        {
            string victim = context.VictimDirectory(local);
            if (setup.DirectoryLink && Directory.Exists(victim) && Directory.EnumerateFileSystemEntries(victim).ToArray() is { Length: > 0 } written)
            {
                return $"target {local}: files were written through the directory link into {victim}: {string.Join(", ", written.Select(Path.GetFileName))} (SPEC TGT-6)";
            }
        }

        return null;
    }

    private static bool IsDirectoryLink(ScenarioContext context, string name) =>
        context.Targets.Any(t => t.Value.DirectoryLink && ScenarioContext.DirectoryLinkName(t.Key) == name);

    /// <summary>Observes until the state is settled or the settle time has passed; returns the last observation.</summary>
    private static async Task<T> SettleAsync<T>(ScenarioContext context, Func<T> observe, Func<T, bool> settled, CancellationToken cancellationToken)
    {
        DateTime deadline = DateTime.UtcNow + TimeSpan.FromMilliseconds(context.Options.ScaledTimeoutMs(SettleMs));
        T value = observe();
        while (!settled(value) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50, cancellationToken).ConfigureAwait(false);
            value = observe();
        }

        return value;
    }

    private static string[] TempFileNames(ScenarioContext context) => !Directory.Exists(context.TargetDirectory) ? [] :
        [.. Directory.EnumerateFileSystemEntries(context.TargetDirectory)
            .Select(Path.GetFileName).OfType<string>()
            .Where(n => n.StartsWith('.') && n.EndsWith(".tmp", StringComparison.Ordinal))];

    private static async Task<string?> FdCheckAsync(ScenarioContext context, int? baseline, CancellationToken cancellationToken)
    {
        if (baseline is null || context.Server.Process is not { HasExited: false } process)
        {
            return "no descriptor baseline: the server was not running before and after the steps";
        }

        // Connections close asynchronously on the server side: give it a moment to settle.
        int count = await SettleAsync(context, process.CountOpenFileDescriptors, c => c <= baseline + FdAllowance, cancellationToken).ConfigureAwait(false);

        return count <= baseline + FdAllowance ? null : $"the server has {count} open descriptors, {baseline} before the scenario (allowance {FdAllowance}) (SPEC CONN-4)";
    }

    private static async Task<string?> AuditCheckAsync(ScenarioContext context, IReadOnlyDictionary<string, string> fields, bool present, CancellationToken cancellationToken)
    {
        var wanted = fields.Select(kv => (kv.Key, Value: context.Expand(kv.Value))).ToList();
        // The event is the first "audit event=" of the line: text after it (an escaped target name) cannot fake one.
        bool Matches(string line)
        {
            int at = line.IndexOf("audit event=", StringComparison.Ordinal);
            if (at < 0)
            {
                return false;
            }

            string rest = line[(at + "audit ".Length)..];
            string eventValue = rest["event=".Length..].Split(' ')[0];
            return wanted.All(f => f.Key == "event"
                ? eventValue == f.Value
                : rest.Contains($" {f.Key}={f.Value}", StringComparison.Ordinal) || rest.Contains($" {f.Key}=\"{f.Value}\"", StringComparison.Ordinal));
        }

        // Audit lines may be written after the reply: a wanted one gets the settle time; an unwanted one that is
        // there is there (lines are never taken back), so that case needs no waiting.
        bool found = present
            ? await SettleAsync(context, () => context.Server.OutputLines.Any(Matches), f => f, cancellationToken).ConfigureAwait(false)
            : context.Server.OutputLines.Any(Matches);
        if (found == present)
        {
            return null;
        }

        string text = string.Join(' ', wanted.Select(f => $"{f.Key}={f.Value}"));
        return present
            ? $"no audit line with {text} in the server's stderr (SPEC AUDIT-1)"
            : $"an audit line with {text} is in the server's stderr, but none was expected";
    }
}
