using System.Runtime.Versioning;
using System.Text;
using CliWrap.Buffered;
using ConfUpdate.Harness.Environment;
using ConfUpdate.Protocol;

namespace ConfUpdate.Server.Tests.CrossUser;

/// <summary>Concurrent writers and clients that die mid-request (SPEC DUR-1, DUR-2, DUR-4, DUR-5, CONN-1).</summary>
[SupportedOSPlatform("linux")]
public sealed class ConcurrencyTests : CrossUserTestBase
{
    private const int UpdatesPerWriter = 40;

    [Test]
    [CancelAfter(90_000)]
    public async Task TwoConcurrentWriters_OnOneTarget_LeaveOneWholeContentAndNoTempFiles(CancellationToken cancellationToken)
    {
        SeedSite();
        await StartServerAsync(DefaultConfig(), cancellationToken);
        // Distinct, sizeable contents: an interleaving of two writes could not equal any single one.
        List<byte[]> contentsA = Contents('A', UpdatesPerWriter);
        List<byte[]> contentsB = Contents('B', UpdatesPerWriter);
        List<byte[]> datagramsA = [.. contentsA.Select((c, i) => RequestCodec.Encode(new ReplaceRequest((uint)i + 1, "site", c)))];
        List<byte[]> datagramsB = [.. contentsB.Select((c, i) => RequestCodec.Encode(new ReplaceRequest((uint)i + 1, "site", c)))];

        Task<RawResult> writerA = Raw.SendAsync(WwwData, SocketPath, datagramsA, cancellationToken: cancellationToken);
        Task<RawResult> writerB = Raw.SendAsync(Member, SocketPath, datagramsB, cancellationToken: cancellationToken);
        RawResult[] results = await Task.WhenAll(writerA, writerB);

        foreach (RawResult result in results)
        {
            Assert.That(result.Events, Has.Count.EqualTo(UpdatesPerWriter), result.ToString());
            Assert.That(result.Events.Select(RawResult.StatusOf), Is.All.EqualTo(Status.Ok), result.ToString());
        }

        byte[] final = File.ReadAllBytes(SitePath);
        bool whole = contentsA.Concat(contentsB).Any(c => c.AsSpan().SequenceEqual(final));
        Assert.That(whole, Is.True, $"final content ({final.Length} bytes, starts {Encoding.ASCII.GetString(final[..Math.Min(40, final.Length)])}) is not one whole written content");
        Assert.That(TempFilesInTargetDir(), Is.Empty, "no temp files left (DUR-2)");
    }

    [Test]
    [CancelAfter(90_000)]
    public async Task ClientKilledMidRequest_ServerSurvivesAndTargetIsOldOrNewWhole(CancellationToken cancellationToken)
    {
        byte[] original = SeedSite();
        // A slow validator holds the request in flight while the client dies (SPEC TGT-4 runs before install).
        KitTargetConfig slow = SiteTarget() with { Validator = ["/bin/sh", "-c", "sleep 0.4", "validator", "{file}"] };
        ServerProcess server = await StartServerAsync(DefaultConfig(targets: [slow]), cancellationToken);
        byte[] content = Encoding.ASCII.GetBytes(new string('N', 3000) + "\n");
        byte[] replace = RequestCodec.Encode(new ReplaceRequest(1, "site", content));

        RawResult killed = await Raw.SendAsync(WwwData, SocketPath, [replace], killAfterSend: true, cancellationToken: cancellationToken);

        Assert.That(killed.ExitCode, Is.EqualTo(137), "the client died by SIGKILL after sending: " + killed);
        // The server finishes (or abandons) the request: the validator's time at least, then until its temp file is gone.
        await Task.Delay(TimeSpan.FromMilliseconds(800), cancellationToken);
        string[] temps = await TempFilesLeftAfterAsync(TimeSpan.FromSeconds(10), cancellationToken);
        Assert.That(server.HasExited, Is.False, "the server survives a client killed mid-request");
        BufferedCommandResult next = await RunCliAsync(WwwData, cancellationToken, "version", "site");
        Assert.That(next.ExitCode, Is.Zero, "the next client is served: " + Describe(next));
        byte[] now = File.ReadAllBytes(SitePath);
        Assert.That(now.AsSpan().SequenceEqual(original) || now.AsSpan().SequenceEqual(content), Is.True,
            $"target must be the old or the new content whole (DUR-5); got {now.Length} bytes");
        Assert.That(temps, Is.Empty, "no temp files left (DUR-2)");
    }

    private static List<byte[]> Contents(char writer, int count) =>
        [.. Enumerable.Range(0, count).Select(i => Encoding.ASCII.GetBytes($"{writer}{i:D3}:" + new string(writer, 2000 + (i * 13)) + "\n"))];
}
