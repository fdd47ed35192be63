using System.CommandLine;
using ConfUpdate.Protocol;

namespace ConfUpdate.Cli;

/// <summary><c>confupdate version &lt;target&gt;</c>: a target's existence, size and SHA-256 (SPEC OP-3).</summary>
internal static class VersionCommand
{
    public static Command Create(CommandRunner runner)
    {
        Argument<string> target = TargetArgument.Create();
        var command = new Command("version",
            "Print a target's version (the SHA-256 of its content) and size; never its content.\n" +
            "Example: confupdate version site --json")
        {
            target,
        };
        command.SetAction((parseResult, cancellationToken) =>
        {
            string name = parseResult.GetRequiredValue(target);
            return runner.RunAsync(parseResult, name, async (client, ct) =>
            {
                TargetVersion version = await client.GetVersionAsync(name, ct);
                var json = CommandRunner.OkJson();
                json["target"] = name;
                json["exists"] = version.Exists;
                json["size"] = version.Size;
                json["version"] = version.Version.ToString();
                string text = version.Exists
                    ? $"{name}: version {version.Version}, {version.Size} bytes"
                    : $"{name}: absent (version {version.Version})";
                return new Success(text, json);
            }, cancellationToken);
        });
        return command;
    }
}
