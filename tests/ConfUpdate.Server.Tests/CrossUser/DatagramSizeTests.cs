using System.Runtime.Versioning;
using System.Text.Json;
using CliWrap.Buffered;
using ConfUpdate.Harness.Environment;
using ConfUpdate.Protocol;

namespace ConfUpdate.Server.Tests.CrossUser;

/// <summary>Datagrams the real client never sends, sent raw as www-data (SPEC FRAME-4, FRAME-5).</summary>
[SupportedOSPlatform("linux")]
public sealed class DatagramSizeTests : CrossUserTestBase
{
    private const int MaxRequest = 4096;

    /// <summary>A reply's opcode is the request's opcode OR 0x80 (SPEC FRAME-3).</summary>
    private const int ReplyFlag = 0x80;

    [Test]
    [CancelAfter(60_000)]
    public async Task OversizedDatagram_IsTooLargeAppliesNothingAndConnectionStaysUsable(CancellationToken cancellationToken)
    {
        byte[] original = SeedSite();
        await StartServerAsync(DefaultConfig() with { MaxRequestSize = MaxRequest }, cancellationToken);
        byte[] oversized = RawClient.ReplaceOfTotalSize("site", MaxRequest + 1, (byte)'X', requestId: 7);
        byte[] hello = RequestCodec.Encode(new HelloRequest(8));

        RawResult raw = await Raw.SendAsync(WwwData, SocketPath, [oversized, hello], cancellationToken: cancellationToken);

        Assert.That(raw.Events, Has.Count.EqualTo(2), raw.ToString());
        JsonElement tooLarge = raw.Events[0];
        JsonElement helloReply = raw.Events[1];
        Assert.Multiple(() =>
        {
            Assert.That(RawResult.StatusOf(tooLarge), Is.EqualTo(Status.TooLarge), raw.ToString());
            Assert.That(tooLarge.GetProperty("requestId").GetUInt32(), Is.EqualTo(7u), "request id echoed (FRAME-4)");
            Assert.That(tooLarge.GetProperty("opcode").GetInt32(), Is.EqualTo((int)Opcode.Replace | ReplyFlag), "opcode echoed, OR 0x80 (FRAME-3, FRAME-4)");
            Assert.That(RawResult.StatusOf(helloReply), Is.EqualTo(Status.Ok), "the connection stays usable");
            Assert.That(helloReply.GetProperty("requestId").GetUInt32(), Is.EqualTo(8u));
            Assert.That(File.ReadAllBytes(SitePath), Is.EqualTo(original), "nothing applied, not even in part");
            Assert.That(TempFilesInTargetDir(), Is.Empty);
        });
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task DatagramOfExactlyMaximum_IsApplied(CancellationToken cancellationToken)
    {
        SeedSite();
        // The default target maximum leaves room for the longest name and an expected version (CONF-1); lift it so M itself decides.
        KitConfigFile config = DefaultConfig(targets: [SiteTarget() with { MaxSize = MaxRequest }]) with { MaxRequestSize = MaxRequest };
        await StartServerAsync(config, cancellationToken);
        byte[] exact = RawClient.ReplaceOfTotalSize("site", MaxRequest, (byte)'M', requestId: 1);

        RawResult raw = await Raw.SendAsync(WwwData, SocketPath, [exact], cancellationToken: cancellationToken);

        Assert.That(raw.Events, Has.Count.EqualTo(1), raw.ToString());
        Assert.That(RawResult.StatusOf(raw.Events[0]), Is.EqualTo(Status.Ok), raw.ToString());
        Assert.That(File.ReadAllBytes(SitePath), Is.EqualTo(exact[^(MaxRequest - RequestCodec.ReplaceSize("site", 0, false))..]));
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task ZeroLengthDatagram_EndsConnectionWithoutReplyAndAppliesNothing(CancellationToken cancellationToken)
    {
        byte[] original = SeedSite();
        ServerProcess server = await StartServerAsync(DefaultConfig(), cancellationToken);
        byte[] replace = RequestCodec.Encode(new ReplaceRequest(5, "site", "after zero\n"u8.ToArray()));

        RawResult raw = await Raw.SendAsync(WwwData, SocketPath, [[], replace], cancellationToken: cancellationToken);

        Assert.That(raw.Events, Has.Count.EqualTo(1), raw.ToString());
        JsonElement first = raw.Events[0];
        Assert.That(RawResult.Has(first, "eof") || RawResult.Has(first, "recvError"), Is.True, $"expected end of stream after a zero-length datagram (FRAME-5); got {raw}");
        Assert.That(File.ReadAllBytes(SitePath), Is.EqualTo(original), "nothing applied");
        Assert.That(server.HasExited, Is.False, "the server survives");

        BufferedCommandResult next = await RunCliAsync(WwwData, cancellationToken, "hello");
        Assert.That(next.ExitCode, Is.Zero, "the next client is served: " + Describe(next));
    }
}
