using System.Text.Json;
using CliWrap.Buffered;
using ConfUpdate.Protocol;

namespace ConfUpdate.Client.Tests;

[CancelAfter(30_000)]
public sealed class CliTests : PeerTestBase
{
    private static readonly HelloInfo s_hello = new(1, 65536, "scripted-peer", "0.1");

    /// <summary>A peer that answers HELLO, REPLACE (with the content's hash) and GET_VERSION of "site"; other targets are unknown.</summary>
    private ScriptedPeer StartFakeServer(List<Request>? seen = null) => StartPeer(async (peer, ct) =>
    {
        while (true)
        {
            Request request = await peer.ReceiveRequestAsync(ct);
            if (seen is not null)
            {
                lock (seen)
                {
                    seen.Add(request);
                }
            }

            Reply reply = request switch
            {
                HelloRequest => PeerConnection.Ok(request, s_hello.Encode()),
                ReplaceRequest { Target: "site" } replace => PeerConnection.Ok(request, ContentVersion.Of(replace.Content.Span).Bytes.ToArray()),
                GetVersionRequest { Target: "site" } => PeerConnection.Ok(request, new TargetVersion(true, 3, ContentVersion.Of("a=1"u8)).Encode()),
                _ => PeerConnection.Refuse(request, Status.UnknownTarget, "no target named 'nope' is configured"),
            };
            await peer.SendAsync(reply, ct);
        }
    });

    private static JsonElement Json(BufferedCommandResult result)
    {
        string[] lines = result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.That(lines, Has.Length.EqualTo(1), $"stdout: {result.StandardOutput}");
        return JsonDocument.Parse(lines[0]).RootElement;
    }

    [Test]
    public async Task Hello_AgainstAServer_ExitsZero_AndNamesIt()
    {
        StartFakeServer();

        BufferedCommandResult result = await CliProcess.RunAsync(["hello", "--socket", SocketPath], TestToken);

        Assert.Multiple(() =>
        {
            Assert.That(result.ExitCode, Is.Zero, result.StandardError);
            Assert.That(result.StandardOutput, Does.Contain("scripted-peer 0.1").And.Contain("65536"));
            Assert.That(result.StandardError, Is.Empty);
        });
    }

    [Test]
    public async Task Update_FromStandardInput_ExitsZero_AndPrintsTheNewVersion()
    {
        var seen = new List<Request>();
        StartFakeServer(seen);
        byte[] content = [.. "a=1\n\0tail"u8];

        BufferedCommandResult result = await CliProcess.RunAsync(["update", "site", "--socket", SocketPath], TestToken, stdin: content);

        Assert.Multiple(() =>
        {
            Assert.That(result.ExitCode, Is.Zero, result.StandardError);
            Assert.That(result.StandardOutput.Trim(), Is.EqualTo($"site: updated, version {ContentVersion.Of(content)}"));
            Assert.That(seen.OfType<ReplaceRequest>().Single().Content.ToArray(), Is.EqualTo(content));
        });
    }

    [Test]
    public async Task Update_WithEmptyStandardInput_Exits2_AndSendsNothing()
    {
        var seen = new List<Request>();
        StartFakeServer(seen);

        BufferedCommandResult result = await CliProcess.RunAsync(["update", "site", "--socket", SocketPath], TestToken, stdin: []);

        Assert.Multiple(() =>
        {
            Assert.That(result.ExitCode, Is.EqualTo(2));
            Assert.That(result.StandardError, Is.EqualTo(
                "confupdate: site: the new content from standard input is empty; refusing to install an empty file (pass --allow-empty if that is what you mean)\n"));
            Assert.That(seen.OfType<ReplaceRequest>(), Is.Empty, "no REPLACE sent");
        });
    }

    [Test]
    public async Task Update_WithEmptyFile_Exits2_NamingTheFile()
    {
        StartFakeServer();
        string file = Directory.File("empty.conf");
        await File.WriteAllBytesAsync(file, [], TestToken);

        BufferedCommandResult result = await CliProcess.RunAsync(["update", "site", "--socket", SocketPath, "--file", file, "--json"], TestToken);

        Assert.Multiple(() =>
        {
            Assert.That(result.ExitCode, Is.EqualTo(2));
            Assert.That(result.StandardError, Does.Contain($"the new content from {file} is empty"));
            Assert.That(Json(result).GetProperty("exitCode").GetInt32(), Is.EqualTo(2));
        });
    }

    [Test]
    public async Task Update_WithEmptyInputAndAllowEmpty_InstallsIt()
    {
        var seen = new List<Request>();
        StartFakeServer(seen);

        BufferedCommandResult result = await CliProcess.RunAsync(["update", "site", "--socket", SocketPath, "--allow-empty"], TestToken, stdin: []);

        Assert.Multiple(() =>
        {
            Assert.That(result.ExitCode, Is.Zero, result.StandardError);
            Assert.That(seen.OfType<ReplaceRequest>().Single().Content.Length, Is.Zero);
        });
    }

    [Test]
    public async Task Update_FromAFile_WithJsonAndExpectAbsent_PrintsOneJsonObject()
    {
        var seen = new List<Request>();
        StartFakeServer(seen);
        string file = Directory.File("site.conf");
        await File.WriteAllTextAsync(file, "b=2\n", TestToken);

        BufferedCommandResult result = await CliProcess.RunAsync(
            ["update", "site", "--file", file, "--expect-version", "absent", "--json"], TestToken, socketVariable: SocketPath);

        JsonElement json = Json(result);
        Assert.Multiple(() =>
        {
            Assert.That(result.ExitCode, Is.Zero, result.StandardError);
            Assert.That(json.GetProperty("ok").GetBoolean(), Is.True);
            Assert.That(json.GetProperty("status").GetString(), Is.EqualTo("OK"));
            Assert.That(json.GetProperty("target").GetString(), Is.EqualTo("site"));
            Assert.That(json.GetProperty("version").GetString(), Is.EqualTo(ContentVersion.Of("b=2\n"u8).ToString()));
            Assert.That(seen.OfType<ReplaceRequest>().Single().ExpectedVersion, Is.EqualTo(ContentVersion.Absent));
        });
    }

    [Test]
    public async Task Version_WithJson_ReportsExistenceSizeAndVersion()
    {
        StartFakeServer();

        BufferedCommandResult result = await CliProcess.RunAsync(["version", "site", "--json", "-s", SocketPath], TestToken);

        JsonElement json = Json(result);
        Assert.Multiple(() =>
        {
            Assert.That(result.ExitCode, Is.Zero, result.StandardError);
            Assert.That(json.GetProperty("exists").GetBoolean(), Is.True);
            Assert.That(json.GetProperty("size").GetInt64(), Is.EqualTo(3));
            Assert.That(json.GetProperty("version").GetString(), Is.EqualTo(ContentVersion.Of("a=1"u8).ToString()));
        });
    }

    [Test]
    public async Task Version_OfAnUnknownTarget_Exits16_WithTheServersDetail()
    {
        StartFakeServer();

        BufferedCommandResult text = await CliProcess.RunAsync(["version", "nope", "-s", SocketPath], TestToken);
        BufferedCommandResult json = await CliProcess.RunAsync(["version", "nope", "-s", SocketPath, "--json"], TestToken);

        JsonElement error = Json(json);
        Assert.Multiple(() =>
        {
            Assert.That(text.ExitCode, Is.EqualTo(16));
            Assert.That(text.StandardError.Trim(), Is.EqualTo("confupdate: nope: the server answered UNKNOWN_TARGET: no target named 'nope' is configured"));
            Assert.That(text.StandardOutput, Is.Empty);
            Assert.That(json.ExitCode, Is.EqualTo(16));
            Assert.That(error.GetProperty("ok").GetBoolean(), Is.False);
            Assert.That(error.GetProperty("status").GetString(), Is.EqualTo("UNKNOWN_TARGET"));
            Assert.That(error.GetProperty("exitCode").GetInt32(), Is.EqualTo(16));
            Assert.That(error.GetProperty("detail").GetString(), Is.EqualTo("no target named 'nope' is configured"));
        });
    }

    [Test]
    public async Task ForbiddenAtAccept_Exits11_NamingTheRefusedUid()
    {
        StartPeer((peer, ct) => peer.SendAsync(PeerConnection.Unsolicited(Status.Forbidden), ct));
        // The denied account must be able to reach the socket for the server's own check to matter.
        File.SetUnixFileMode(SocketPath, (UnixFileMode)0b110_110_110);

        BufferedCommandResult result = await CliProcess.RunAsync(["update", "site", "-s", SocketPath, "--json"], TestToken, stdin: "x"u8.ToArray(), asUid: CliProcess.NobodyUid);

        JsonElement json = Json(result);
        Assert.Multiple(() =>
        {
            Assert.That(result.ExitCode, Is.EqualTo(11), result.StandardError);
            Assert.That(result.StandardError, Does.Contain($"the server refused uid {CliProcess.NobodyUid} (FORBIDDEN)"));
            Assert.That(json.GetProperty("status").GetString(), Is.EqualTo("FORBIDDEN"));
            Assert.That(json.GetProperty("exitCode").GetInt32(), Is.EqualTo(11));
        });
    }

    [Test]
    public async Task ForbiddenAsRoot_Exits11_SayingRootMustBeListed()
    {
        // The tests run as root (run-tests.sh): the first README example a newcomer tries, as root.
        Assert.That(Environment.UserName, Is.EqualTo("root"), "run-tests.sh runs the suite as root");
        StartPeer((peer, ct) => peer.SendAsync(PeerConnection.Unsolicited(Status.Forbidden), ct));

        BufferedCommandResult result = await CliProcess.RunAsync(["hello", "-s", SocketPath], TestToken);

        Assert.Multiple(() =>
        {
            Assert.That(result.ExitCode, Is.EqualTo(11), result.StandardError);
            Assert.That(result.StandardError, Does.StartWith("confupdate: the server refused uid 0 (FORBIDDEN); root is admitted only when listed explicitly"));
            Assert.That(result.StandardError, Does.Contain("sudo -u www-data confupdate"));
        });
    }

    [Test]
    public async Task MissingSocket_Exits3_WithAHint()
    {
        BufferedCommandResult text = await CliProcess.RunAsync(["hello"], TestToken, socketVariable: SocketPath);
        BufferedCommandResult json = await CliProcess.RunAsync(["hello", "--json", "--socket", SocketPath], TestToken);

        Assert.Multiple(() =>
        {
            Assert.That(text.ExitCode, Is.EqualTo(3));
            Assert.That(text.StandardError.Trim(), Is.EqualTo(
                $"confupdate: no server at {SocketPath} (the socket file does not exist); is confupdate-server running?"));
            Assert.That(json.ExitCode, Is.EqualTo(3));
            Assert.That(Json(json).GetProperty("error").GetString(), Is.EqualTo("SOCKET_MISSING"));
        });
    }

    [Test]
    public async Task SocketWithoutWritePermission_Exits3_SayingPermissionDenied()
    {
        StartFakeServer();
        File.SetUnixFileMode(SocketPath, UnixFileMode.UserRead | UnixFileMode.UserWrite);

        BufferedCommandResult result = await CliProcess.RunAsync(["hello", "-s", SocketPath], TestToken, asUid: CliProcess.NobodyUid);

        Assert.Multiple(() =>
        {
            Assert.That(result.ExitCode, Is.EqualTo(3), result.StandardError);
            Assert.That(result.StandardError, Does.Contain("permission denied").And.Contain("mode is 0600"));
        });
    }

    [Test]
    public async Task StreamSocket_Exits3_SayingWrongSocketType()
    {
        using var stream = new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.Unix, System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Unspecified);
        stream.Bind(new System.Net.Sockets.UnixDomainSocketEndPoint(SocketPath));
        stream.Listen();

        BufferedCommandResult result = await CliProcess.RunAsync(["hello", "-s", SocketPath], TestToken);

        Assert.Multiple(() =>
        {
            Assert.That(result.ExitCode, Is.EqualTo(3));
            Assert.That(result.StandardError, Does.Contain("not a SOCK_SEQPACKET socket"));
        });
    }

    [Test]
    public async Task MismatchedReply_Exits4()
    {
        StartPeer(async (peer, ct) =>
        {
            Request request = await peer.ReceiveRequestAsync(ct);
            await peer.SendAsync(PeerConnection.Ok(request, s_hello.Encode()) with { RequestId = 999 }, ct);
            await peer.ReceiveRawAsync(ct);
        });

        BufferedCommandResult result = await CliProcess.RunAsync(["hello", "-s", SocketPath, "--json"], TestToken);

        Assert.Multiple(() =>
        {
            Assert.That(result.ExitCode, Is.EqualTo(4));
            Assert.That(Json(result).GetProperty("error").GetString(), Is.EqualTo("PROTOCOL_ERROR"));
        });
    }

    [Test]
    public async Task Terminated_WhileWaitingForAReply_Exits130_SayingInterrupted()
    {
        var received = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        StartPeer(async (peer, ct) =>
        {
            await peer.ReceiveRawAsync(ct);
            received.TrySetResult();
            await Task.Delay(Timeout.Infinite, ct);
        });
        using System.Diagnostics.Process process = CliProcess.Start(["hello", "-s", SocketPath]);
        try
        {
            Task<string> stderr = process.StandardError.ReadToEndAsync(TestToken);
            await received.Task.WaitAsync(TestToken);

            // SIGTERM rather than SIGINT: a test host started from a non-interactive shell may
            // ignore SIGINT, and an ignored disposition is inherited by the CLI.
            await CliProcess.SignalAsync(process, "TERM", TestToken);
            await process.WaitForExitAsync(TestToken);
            string message = await stderr;

            Assert.Multiple(() =>
            {
                Assert.That(process.ExitCode, Is.EqualTo(130));
                Assert.That(message, Does.StartWith("confupdate: interrupted"));
            });
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
    }

    [TestCase("version", TestName = "Usage_MissingTarget_Exits2")]
    [TestCase("update site --expect-version xyz", TestName = "Usage_MalformedExpectedVersion_Exits2")]
    [TestCase("update site --file /nonexistent/confupdate-input", TestName = "Usage_UnreadableInputFile_Exits2")]
    [TestCase("hello --timeout 0", TestName = "Usage_NonPositiveTimeout_Exits2")]
    [TestCase("frobnicate", TestName = "Usage_UnknownCommand_Exits2")]
    public async Task UsageErrors_Exit2_WithoutContactingTheServer(string commandLine)
    {
        ScriptedPeer peer = StartFakeServer();

        BufferedCommandResult result = await CliProcess.RunAsync([.. commandLine.Split(' '), "--socket", SocketPath], TestToken);

        Assert.Multiple(() =>
        {
            Assert.That(result.ExitCode, Is.EqualTo(2), result.StandardError);
            Assert.That(result.StandardError, Does.StartWith("confupdate: "));
            Assert.That(peer.AcceptedConnections, Is.Zero);
        });
    }

    [Test]
    public async Task Help_DocumentsTheExitCodes()
    {
        BufferedCommandResult result = await CliProcess.RunAsync(["--help"], TestToken);

        Assert.Multiple(() =>
        {
            Assert.That(result.ExitCode, Is.Zero);
            Assert.That(result.StandardOutput, Does.Contain("Exit codes:").And.Contain("16  server status UNKNOWN_TARGET").And.Contain("Example:"));
        });
    }
}
