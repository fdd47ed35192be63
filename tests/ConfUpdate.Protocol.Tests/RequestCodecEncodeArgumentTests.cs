namespace ConfUpdate.Protocol.Tests;

/// <summary>Encode refuses requests the wire cannot carry: a target name is 1..255 UTF-8 bytes (SPEC OP-2, OP-3).</summary>
public class RequestCodecEncodeArgumentTests
{
    private static IEnumerable<TestCaseData> TooLongNames()
    {
        yield return new TestCaseData(new string('n', 256), 256).SetArgDisplayNames("256 ascii bytes");
        yield return new TestCaseData(new string('n', 1000), 1000).SetArgDisplayNames("1000 ascii bytes");
        yield return new TestCaseData(new string('é', 128), 256).SetArgDisplayNames("128 two-byte characters");
        yield return new TestCaseData(new string('日', 86), 258).SetArgDisplayNames("86 three-byte characters");
        // 255 characters, but 256 bytes: the limit is on bytes, not characters.
        yield return new TestCaseData(new string('n', 254) + "é", 256).SetArgDisplayNames("255 characters, 256 bytes");
    }

    private static IEnumerable<Func<string, Request>> NamedRequests()
    {
        yield return target => new GetVersionRequest(1, target);
        yield return target => new ReplaceRequest(1, target, new byte[] { 1 });
        yield return target => new ReplaceRequest(1, target, ReadOnlyMemory<byte>.Empty, ContentVersion.Absent);
    }

    [TestCaseSource(nameof(NamedRequests))]
    public void Encode_EmptyTargetName_Throws(Func<string, Request> make)
    {
        Request request = make(string.Empty);

        var ex = Assert.Throws<ArgumentException>(() => RequestCodec.Encode(request));

        Assert.That(ex.Message, Does.Contain("1 to 255").And.Contain("has 0"));
    }

    [TestCaseSource(nameof(TooLongNames))]
    public void Encode_GetVersionWithNameOver255Bytes_ThrowsNamingTheLength(string target, int byteCount)
    {
        var ex = Assert.Throws<ArgumentException>(() => RequestCodec.Encode(new GetVersionRequest(1, target)));

        Assert.That(ex.Message, Does.Contain($"has {byteCount}"));
    }

    [TestCaseSource(nameof(TooLongNames))]
    public void Encode_ReplaceWithNameOver255Bytes_ThrowsNamingTheLength(string target, int byteCount)
    {
        var ex = Assert.Throws<ArgumentException>(() => RequestCodec.Encode(new ReplaceRequest(1, target, new byte[] { 1 })));

        Assert.That(ex.Message, Does.Contain($"has {byteCount}"));
    }

    [TestCase(1)]
    [TestCase(254)]
    [TestCase(255)]
    public void Encode_NameOf1To255Bytes_PutsItsLengthInOneByte(int length)
    {
        byte[] datagram = RequestCodec.Encode(new GetVersionRequest(1, new string('n', length)));

        Assert.Multiple(() =>
        {
            Assert.That(datagram[ProtocolLimits.RequestHeaderSize], Is.EqualTo(length));
            Assert.That(datagram, Has.Length.EqualTo(ProtocolLimits.RequestHeaderSize + 1 + length));
        });
    }

    [Test]
    public void Encode_NullRequest_ThrowsArgumentNull() =>
        Assert.Throws<ArgumentNullException>(() => RequestCodec.Encode(null!));

    [TestCaseSource(nameof(NamedRequests))]
    public void Encode_NullTargetName_ThrowsArgumentNull(Func<string, Request> make)
    {
        Request request = make(null!);

        Assert.Throws<ArgumentNullException>(() => RequestCodec.Encode(request));
    }

    [Test]
    public void Encode_RequestTypeOutsideTheProtocol_Throws() =>
        Assert.Throws<ArgumentException>(() => RequestCodec.Encode(new StrayRequest(1)));

    private sealed record StrayRequest(uint RequestId) : Request(RequestId)
    {
        public override Opcode Opcode => (Opcode)0x7F;
    }
}
