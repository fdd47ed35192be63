using System.CommandLine;
using ConfUpdate.Protocol;

namespace ConfUpdate.Cli;

/// <summary><c>confupdate hello</c>: check that the server answers, and what it is (SPEC OP-1).</summary>
internal static class HelloCommand
{
    public static Command Create(CommandRunner runner)
    {
        var command = new Command("hello",
            "Check that the server is reachable and lets you in; print its name, version and maximum request size.\n" +
            "Example: confupdate hello --socket /run/confupdate/confupdate.sock");
        command.SetAction((parseResult, cancellationToken) => runner.RunAsync(parseResult, target: null, async (client, ct) =>
        {
            HelloInfo hello = await client.HelloAsync(ct);
            var json = CommandRunner.OkJson();
            json["serverName"] = hello.ServerName;
            json["serverVersion"] = hello.ServerVersion;
            json["protocolVersion"] = hello.ProtocolVersion;
            json["maxRequestSize"] = hello.MaxRequestSize;
            json["socket"] = client.Options.SocketPath;
            return new Success(
                $"{hello.ServerName} {hello.ServerVersion}: protocol {hello.ProtocolVersion}, requests up to {hello.MaxRequestSize} bytes, at {client.Options.SocketPath}",
                json);
        }, cancellationToken));
        return command;
    }
}
