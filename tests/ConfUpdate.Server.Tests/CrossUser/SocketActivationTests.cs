using System.Runtime.Versioning;
using CliWrap.Buffered;
using ConfUpdate.Harness.Environment;

namespace ConfUpdate.Server.Tests.CrossUser;

/// <summary>The server adopts a listener passed by systemd (SPEC TRANS-5), here through systemd-socket-activate.</summary>
[SupportedOSPlatform("linux")]
public sealed class SocketActivationTests : CrossUserTestBase
{
    [Test]
    [CancelAfter(60_000)]
    public async Task SocketActivatedServer_ServesAnUpdateFromAllowedUser(CancellationToken cancellationToken)
    {
        SeedSite();
        string activate = new[] { "/usr/bin/systemd-socket-activate", "/bin/systemd-socket-activate" }.FirstOrDefault(File.Exists)
            ?? throw new AssertionException("systemd-socket-activate is missing: apt-get install systemd");
        string template = $"{activate} --seqpacket -l {{socket}} {ServerTemplate}";

        // Readiness: the kit's connect is what makes systemd-socket-activate start the server with LISTEN_FDS=1.
        ServerProcess server = await StartServerAsync(DefaultConfig(), cancellationToken, template);
        // The activator owns the socket file (TRANS-5): open it so that www-data can connect, as a .socket unit's SocketMode= would.
        File.SetUnixFileMode(SocketPath, KitConfigFile.ParseMode("0666"));
        byte[] content = "activated\n"u8.ToArray();

        BufferedCommandResult result = await RunCliAsync(WwwData, cancellationToken, "update", "site", "--file", WriteInputFile(content));

        Assert.That(result.ExitCode, Is.Zero, Describe(result) + "\nserver stderr:\n" + server.StderrTail());
        Assert.That(Json(result).GetProperty("version").GetString(), Is.EqualTo(Sha256Hex(content)));
        Assert.That(File.ReadAllBytes(SitePath), Is.EqualTo(content));
    }
}
