using System.Net.Sockets;
using ConfUpdate.Harness.Environment;
using ConfUpdate.Harness.Scenarios;
using ConfUpdate.Native;

namespace ConfUpdate.Harness.Running;

/// <summary>Creates a scenario's directories and initial target files, its server configuration, and what lies at the socket path before start.</summary>
internal static class ScenarioPreparation
{
    /// <summary>What a <c>regular_file</c> pre-start puts at the socket path.</summary>
    public const string RegularFileText = "not a socket: placed by the conformance kit\n";

    /// <summary>The kit's default server configuration values (brief: mode 0666 so denied users reach the peer check).</summary>
    public const int DefaultMaxRequestSize = 65536;

    public static void CreateDirectories(ScenarioContext context)
    {
        foreach (string dir in new[] { context.Directory, context.TargetDirectory, context.KitDirectory })
        {
            Directory.CreateDirectory(dir);
            UnixFiles.SetMode(dir, UnixFiles.Mode0755);
        }
    }

    /// <summary>Writes initial target files, symlinks, directories and validator scripts.</summary>
    public static void CreateTargets(ScenarioContext context)
    {
        foreach ((string local, TargetSetup setup) in context.Targets)
        {
            string path = context.TargetPath(local);
            byte[]? content = setup.Content?.Resolve(context.Sizes);
            if (setup.DirectoryLink)
            {
                // TGT-6: the target's directory is replaced by a link to an empty directory outside.
                string victim = context.VictimDirectory(local);
                Directory.CreateDirectory(victim);
                UnixFiles.SetMode(victim, UnixFiles.Mode0755);
                string link = Path.GetDirectoryName(path)!;
                File.CreateSymbolicLink(link, victim);
                // The scenario is void unless it really is a link: say so rather than pass by accident.
                if (new FileInfo(link).LinkTarget is null)
                {
                    throw new InvalidOperationException($"directory_link: {link} was created but is not a symbolic link");
                }

                context.InitialContent[local] = null;
            }
            else if (setup.Directory)
            {
                Directory.CreateDirectory(path);
                context.InitialContent[local] = null;
            }
            else if (setup.Symlink)
            {
                // The link points at a victim file outside the target directory (TGT-5: it must stay untouched).
                byte[] victim = content ?? "victim: must never change\n"u8.ToArray();
                File.WriteAllBytes(context.VictimPath(local), victim);
                File.CreateSymbolicLink(path, context.VictimPath(local));
                context.InitialContent[local] = victim;
            }
            else if (content is not null)
            {
                File.WriteAllBytes(path, content);
                UnixFiles.SetMode(path, (UnixFileMode)Convert.ToInt32(setup.InitialMode ?? "0644", 8));
                if (setup.InitialOwner is { } owner)
                {
                    UnixAccount account = context.Accounts.TryGetValue(owner, out UnixAccount? a) ? a : UnixAccount.Lookup(context.Expand(owner));
                    Ownership.ChangeNoFollow(path, account.Uid, account.Gid);
                }

                context.InitialContent[local] = content;
            }
            else
            {
                context.InitialContent[local] = null;
            }
        }
    }

    /// <summary>The CONF-1 targets of a scenario.</summary>
    public static IEnumerable<KitTargetConfig> TargetConfigs(ScenarioContext context)
    {
        foreach ((string local, TargetSetup setup) in context.Targets)
        {
            IReadOnlyList<string>? validator = null;
            if (setup.Validator?.Script is { } script)
            {
                string scriptPath = Path.Combine(context.KitDirectory, $"validate-{local}.sh");
                File.WriteAllText(scriptPath, context.Expand(script) is var text && text.EndsWith('\n') ? text : text + "\n");
                UnixFiles.SetMode(scriptPath, UnixFiles.Mode0755);
                validator = ["/bin/sh", scriptPath, "{file}"];
            }
            else if (setup.Validator?.Argv is { } argv)
            {
                validator = argv.Select(context.Expand).ToList();
            }

            yield return new KitTargetConfig(context.ConfiguredName(local), context.TargetPath(local))
            {
                Owner = Account(context, setup.Owner ?? "root"),
                Group = Account(context, setup.Group ?? "${user:allowed}"),
                Mode = (UnixFileMode)Convert.ToInt32(setup.Mode ?? "0640", 8),
                MaxSize = setup.MaxSize,
                Validator = validator,
            };
        }
    }

    /// <summary>The allow list: the scenario's, or the kit default (the allowed role's user and the allowed group).</summary>
    public static KitAllowConfig Allow(ScenarioContext context, AllowSetup? allow)
    {
        if (allow is null)
        {
            return new KitAllowConfig { Users = [context.Account("allowed").Name], Groups = [context.Options.AllowedGroup] };
        }

        return new KitAllowConfig
        {
            Users = [.. allow.Roles.Select(r => context.Account(r).Name), .. allow.Users.Select(context.Expand)],
            Groups = [.. allow.Groups.Select(context.Expand)],
            Uids = allow.Uids,
        };
    }

    /// <summary>Where a scenario's <c>unknown_key</c> goes in the CONF-1 document (SPEC CONF-3).</summary>
    public static (IReadOnlyList<string> Parent, string Name)? UnknownKey(UnknownKeySetup? setup) => setup is null
        ? null
        : (setup.In switch
        {
            "document" => [],
            "section" => ["ConfUpdate"],
            "socket" => ["ConfUpdate", "Socket"],
            "allow" => ["ConfUpdate", "Allow"],
            "limits" => ["ConfUpdate", "Limits"],
            "target" => ["ConfUpdate", "Targets", "0"],
            _ => throw new ArgumentOutOfRangeException(nameof(setup), setup.In, "unknown_key.in is checked by the schema."),
        }, setup.Name);

    /// <summary>Puts a stale socket, a live listener, a regular file, a symlink or a directory at the socket path.</summary>
    public static void PreStart(ScenarioContext context, string? what)
    {
        string path = context.Server.SocketPath;
        switch (what)
        {
            case null:
                return;
            case "stale_socket":
                // Bound, never listening, then closed: the file stays and connect() is refused (TRANS-3 case 1).
                using (Socket stale = new(AddressFamily.Unix, SocketType.Seqpacket, ProtocolType.Unspecified))
                {
                    stale.Bind(new UnixDomainSocketEndPoint(path));
                }

                break;
            case "live_server":
                var live = new Socket(AddressFamily.Unix, SocketType.Seqpacket, ProtocolType.Unspecified);
                live.Bind(new UnixDomainSocketEndPoint(path));
                live.Listen(64);
                context.Server.LiveImpostor = live;
                break;
            case "regular_file":
                File.WriteAllText(path, RegularFileText);
                break;
            case "symlink":
                File.CreateSymbolicLink(path, Path.Combine(context.KitDirectory, "symlink-victim"));
                break;
            case "directory":
                Directory.CreateDirectory(path);
                break;
            default:
                throw new ArgumentException($"Unknown pre_start '{what}'.", nameof(what));
        }

        context.Log("kit", "!", $"pre-start: {what} at {path}");
    }

    private static string Account(ScenarioContext context, string nameOrRole) =>
        context.Accounts.TryGetValue(nameOrRole, out UnixAccount? account) ? account.Name : context.Expand(nameOrRole);
}
