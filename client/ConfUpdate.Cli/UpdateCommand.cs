using System.CommandLine;
using System.CommandLine.Parsing;
using ConfUpdate.Protocol;

namespace ConfUpdate.Cli;

/// <summary><c>confupdate update &lt;target&gt;</c>: replace a target's whole content (SPEC OP-2, OP-4).</summary>
internal static class UpdateCommand
{
    /// <summary>What --expect-version accepts besides 64 hex digits: the target must not exist yet.</summary>
    public const string AbsentKeyword = "absent";

    public static Command Create(CommandRunner runner, GlobalOptions globals)
    {
        Argument<string> target = TargetArgument.Create();
        var file = new Option<string?>("--file", "-f")
        {
            Description = "Read the new content from this file (default, or \"-\": standard input)",
            HelpName = "PATH",
        };
        var expect = new Option<ContentVersion?>("--expect-version")
        {
            Description = $"Replace only if the target's current version is this (64 hex digits), or \"{AbsentKeyword}\" to create it only if it does not exist",
            HelpName = "HEX|absent",
            CustomParser = ParseExpectedVersion,
        };
        var allowEmpty = new Option<bool>("--allow-empty")
        {
            Description = "Install empty content; without it, empty input is refused (exit 2): an empty configuration file installed by accident is an outage",
        };
        var command = new Command("update",
            "Replace a target's whole content; print its new version once the server has installed it durably.\n" +
            "Example: confupdate update site --file site.conf --expect-version 3f2a…(64 hex digits)")
        {
            target,
            file,
            expect,
            allowEmpty,
        };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            string name = parseResult.GetRequiredValue(target);
            ContentVersion? expected = parseResult.GetValue(expect);
            byte[] content;
            try
            {
                if (parseResult.GetValue(file) is null or "-" && runner.Console.InputIsTerminal)
                {
                    await runner.Console.Error.WriteLineAsync("confupdate: reading the new content from standard input (end with Ctrl-D)");
                }

                content = await InputReader.ReadAsync(parseResult.GetValue(file), runner.Console.Input, cancellationToken);
                if (content.Length == 0 && !parseResult.GetValue(allowEmpty))
                {
                    // A pipe whose producer failed, a redirect from the wrong file, a truncated file: all arrive as 0 bytes.
                    string source = parseResult.GetValue(file) is { } path and not "-" ? path : "standard input";
                    throw new UsageException($"{name}: the new content from {source} is empty; refusing to install an empty file (pass --allow-empty if that is what you mean)");
                }
            }
            catch (UsageException ex)
            {
                return runner.WriteFailure(Failure.Usage(ex.Message), parseResult.GetValue(globals.Json));
            }

            return await runner.RunAsync(parseResult, name, async (client, ct) =>
            {
                ContentVersion version = await client.ReplaceAsync(name, content, expected, ct);
                var json = CommandRunner.OkJson();
                json["target"] = name;
                json["version"] = version.ToString();
                json["size"] = content.Length;
                return new Success($"{name}: updated, version {version}", json);
            }, cancellationToken);
        });
        return command;
    }

    private static ContentVersion? ParseExpectedVersion(ArgumentResult result)
    {
        string text = result.Tokens.Count == 1 ? result.Tokens[0].Value : "";
        if (string.Equals(text, AbsentKeyword, StringComparison.OrdinalIgnoreCase))
        {
            return ContentVersion.Absent;
        }

        try
        {
            return ContentVersion.Parse(text);
        }
        catch (FormatException ex)
        {
            result.AddError($"--expect-version takes 64 hexadecimal digits or \"{AbsentKeyword}\"; got '{text}': {ex.Message}");
            return null;
        }
    }
}
