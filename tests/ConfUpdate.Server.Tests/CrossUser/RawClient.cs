using System.Runtime.Versioning;
using System.Text.Json;
using CliWrap;
using CliWrap.Buffered;
using ConfUpdate.Harness.Environment;
using ConfUpdate.Protocol;

namespace ConfUpdate.Server.Tests.CrossUser;

/// <summary>
/// Raw SOCK_SEQPACKET sends as another user, for datagrams the real client refuses to send (oversized,
/// zero-length) and for clients that die mid-request. A small Python (standard library) script run through
/// the UserSwitch, so the kernel records the real uid at connect time.
/// </summary>
[SupportedOSPlatform("linux")]
public sealed class RawClient(UserSwitch userSwitch, string workDirectory)
{
    private const string Script = """
        import json, os, signal, socket, sys
        path, plan = sys.argv[1], json.load(open(sys.argv[2]))
        s = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        s.settimeout(plan.get("timeout", 5))
        try:
            s.connect(path)
        except OSError as e:
            print(json.dumps({"connectError": e.errno}), flush=True)
            sys.exit(0)
        for i, h in enumerate(plan["datagrams"]):
            data = bytes.fromhex(h)
            try:
                s.send(data)
            except OSError as e:
                print(json.dumps({"index": i, "sendError": e.errno}), flush=True)
                break
            if plan.get("killAfterSend"):
                print(json.dumps({"index": i, "sent": len(data)}), flush=True)
                os.kill(os.getpid(), signal.SIGKILL)
            try:
                reply, _, flags, _ = s.recvmsg(4096)
            except socket.timeout:
                print(json.dumps({"index": i, "timeout": True}), flush=True)
                break
            except OSError as e:
                print(json.dumps({"index": i, "recvError": e.errno}), flush=True)
                break
            if len(reply) == 0:
                print(json.dumps({"index": i, "eof": True}), flush=True)
                break
            print(json.dumps({"index": i, "length": len(reply), "opcode": reply[1], "status": reply[2],
                              "requestId": int.from_bytes(reply[4:8], "big"),
                              "truncated": bool(flags & socket.MSG_TRUNC)}), flush=True)
        """;

    private int _planCounter;

    /// <summary>Sends each datagram in turn as <paramref name="account"/>, reading one reply after each.</summary>
    public async Task<RawResult> SendAsync(
        UnixAccount account, string socketPath, IReadOnlyList<byte[]> datagrams, bool killAfterSend = false, CancellationToken cancellationToken = default)
    {
        string script = Path.Combine(workDirectory, "raw_client.py");
        if (!File.Exists(script))
        {
            await File.WriteAllTextAsync(script, Script, cancellationToken);
            File.SetUnixFileMode(script, KitConfigFile.ParseMode("0644"));
        }

        string plan = Path.Combine(workDirectory, $"plan-{Interlocked.Increment(ref _planCounter)}.json");
        string json = JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["datagrams"] = datagrams.Select(Convert.ToHexString).ToArray(),
            ["killAfterSend"] = killAfterSend,
        });
        await File.WriteAllTextAsync(plan, json, cancellationToken);
        File.SetUnixFileMode(plan, KitConfigFile.ParseMode("0644"));

        BufferedCommandResult result = await userSwitch
            .Wrap(account, "/usr/bin/python3", [script, socketPath, plan])
            .WithStandardInputPipe(PipeSource.Null)
            .ExecuteBufferedAsync(cancellationToken);
        var events = result.StandardOutput
            .Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => JsonDocument.Parse(line).RootElement.Clone())
            .ToList();
        return new RawResult(result.ExitCode, events, result.StandardError);
    }

    /// <summary>A REPLACE datagram of exactly <paramref name="totalSize"/> bytes for <paramref name="target"/>.</summary>
    public static byte[] ReplaceOfTotalSize(string target, int totalSize, byte fill, uint requestId)
    {
        int contentLength = totalSize - RequestCodec.ReplaceSize(target, 0, withExpectedVersion: false);
        byte[] content = Enumerable.Repeat(fill, contentLength).ToArray();
        byte[] datagram = RequestCodec.Encode(new ReplaceRequest(requestId, target, content));
        Assert.That(datagram, Has.Length.EqualTo(totalSize), "test arithmetic: datagram size");
        return datagram;
    }
}

/// <summary>What the raw client observed: its exit code (137 when it killed itself) and one event per datagram.</summary>
[SupportedOSPlatform("linux")]
public sealed record RawResult(int ExitCode, IReadOnlyList<JsonElement> Events, string Stderr)
{
    public static Status StatusOf(JsonElement e) => (Status)e.GetProperty("status").GetInt32();

    public static bool Has(JsonElement e, string property) => e.TryGetProperty(property, out _);

    public override string ToString() => $"exit {ExitCode}; events: {string.Join(" | ", Events.Select(e => e.GetRawText()))}; stderr: {Stderr}";
}
