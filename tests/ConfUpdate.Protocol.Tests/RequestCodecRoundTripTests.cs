using ConfUpdate.Protocol.Tests.Support;

namespace ConfUpdate.Protocol.Tests;

/// <summary>Encode then decode gives back the same request (SPEC FRAME-3, OP-1..OP-3).</summary>
public class RequestCodecRoundTripTests
{
    private static readonly uint[] s_requestIds = [0u, 1u, 0x01020304u, 0x7FFFFFFFu, 0x80000000u, uint.MaxValue];

    private static IEnumerable<TestCaseData> TargetNames()
    {
        yield return new TestCaseData("site").SetArgDisplayNames("ascii");
        yield return new TestCaseData("s").SetArgDisplayNames("one byte");
        yield return new TestCaseData(new string('n', 255)).SetArgDisplayNames("255 ascii bytes");
        yield return new TestCaseData("café-ünïcode").SetArgDisplayNames("2-byte UTF-8");
        yield return new TestCaseData("設定ファイル").SetArgDisplayNames("3-byte UTF-8");
        yield return new TestCaseData("🔧🗂️").SetArgDisplayNames("4-byte UTF-8");
        yield return new TestCaseData(new string('日', 85)).SetArgDisplayNames("255 bytes of 3-byte characters");
        yield return new TestCaseData(string.Concat(Enumerable.Repeat("🔧", 63)) + "abc").SetArgDisplayNames("255 bytes of 4-byte characters");
        yield return new TestCaseData("a\0b").SetArgDisplayNames("NUL inside");
        yield return new TestCaseData("/etc/passwd").SetArgDisplayNames("path-like");
        yield return new TestCaseData("../x").SetArgDisplayNames("relative path-like");
    }

    private static IEnumerable<TestCaseData> Contents()
    {
        yield return new TestCaseData(Array.Empty<byte>()).SetArgDisplayNames("empty");
        yield return new TestCaseData(new byte[] { 0 }).SetArgDisplayNames("one NUL");
        yield return new TestCaseData(new byte[] { 0, 0, 0, 0 }).SetArgDisplayNames("only NULs");
        yield return new TestCaseData(Bytes.Utf8("key = value\0with NUL\n")).SetArgDisplayNames("text with NUL");
        yield return new TestCaseData(Bytes.AllValues()).SetArgDisplayNames("all 256 byte values");
        yield return new TestCaseData(Bytes.AllValues().Reverse().ToArray()).SetArgDisplayNames("all 256 byte values reversed");
        yield return new TestCaseData(Bytes.Pattern(ProtocolLimits.DefaultMaxRequestSize - 300)).SetArgDisplayNames("near the default maximum");
    }

    [TestCaseSource(nameof(s_requestIds))]
    public void Hello_RoundTrips_WithItsRequestId(uint id)
    {
        byte[] datagram = RequestCodec.Encode(new HelloRequest(id));

        bool decoded = RequestCodec.TryDecode(datagram, out Request? request, out RequestDecodeError? error);

        Assert.Multiple(() =>
        {
            Assert.That(decoded, Is.True, error?.Message);
            Assert.That(error, Is.Null);
            Assert.That(request, Is.EqualTo(new HelloRequest(id)));
            Assert.That(request!.Opcode, Is.EqualTo(Opcode.Hello));
        });
    }

    [TestCaseSource(nameof(s_requestIds))]
    public void GetVersion_RoundTrips_WithItsRequestId(uint id)
    {
        byte[] datagram = RequestCodec.Encode(new GetVersionRequest(id, "site"));

        Assert.That(Decode(datagram), Is.EqualTo(new GetVersionRequest(id, "site")));
    }

    [TestCaseSource(nameof(TargetNames))]
    public void GetVersion_RoundTrips_TargetName(string target)
    {
        byte[] datagram = RequestCodec.Encode(new GetVersionRequest(42, target));

        Request request = Decode(datagram);

        Assert.That(request, Is.EqualTo(new GetVersionRequest(42, target)));
    }

    [TestCaseSource(nameof(TargetNames))]
    public void Replace_RoundTrips_TargetName(string target)
    {
        var original = new ReplaceRequest(9, target, Bytes.Utf8("x=1\n"));

        var decoded = (ReplaceRequest)Decode(RequestCodec.Encode(original));

        AssertSameReplace(decoded, original);
    }

    [TestCaseSource(nameof(Contents))]
    public void Replace_WithoutExpectedVersion_RoundTripsContent(byte[] content)
    {
        var original = new ReplaceRequest(0xDEADBEEF, "site", content);

        var decoded = (ReplaceRequest)Decode(RequestCodec.Encode(original));

        AssertSameReplace(decoded, original);
        Assert.That(decoded.ExpectedVersion, Is.Null);
    }

    [TestCaseSource(nameof(Contents))]
    public void Replace_WithExpectedVersion_RoundTripsContentAndVersion(byte[] content)
    {
        var original = new ReplaceRequest(7, "site", content, ContentVersion.Of(Bytes.Utf8("old content")));

        var decoded = (ReplaceRequest)Decode(RequestCodec.Encode(original));

        AssertSameReplace(decoded, original);
    }

    [Test]
    public void Replace_ExpectingAbsentTarget_RoundTripsTheAllZeroVersion()
    {
        // "Create only" is compare-and-set against the all-zero version (SPEC OP-4): it must survive
        // the trip as a present expected version, not collapse into "no expected version".
        var original = new ReplaceRequest(3, "site", Bytes.Utf8("new"), ContentVersion.Absent);

        var decoded = (ReplaceRequest)Decode(RequestCodec.Encode(original));

        Assert.Multiple(() =>
        {
            Assert.That(decoded.ExpectedVersion, Is.Not.Null);
            Assert.That(decoded.ExpectedVersion!.IsAbsent, Is.True);
        });
    }

    [Test]
    public void Replace_WithLongestNameExpectedVersionAndAllByteValues_RoundTrips()
    {
        var original = new ReplaceRequest(uint.MaxValue, new string('日', 85), Bytes.AllValues(), ContentVersion.Of(Bytes.AllValues()));

        var decoded = (ReplaceRequest)Decode(RequestCodec.Encode(original));

        AssertSameReplace(decoded, original);
    }

    [TestCase("site", 0, false)]
    [TestCase("site", 0, true)]
    [TestCase("日本", 1000, false)]
    [TestCase("🔧", 1000, true)]
    public void ReplaceSize_EqualsTheEncodedLength(string target, int contentLength, bool withExpectedVersion)
    {
        var request = new ReplaceRequest(1, target, new byte[contentLength], withExpectedVersion ? ContentVersion.Absent : null);

        int predicted = RequestCodec.ReplaceSize(target, contentLength, withExpectedVersion);

        Assert.That(predicted, Is.EqualTo(RequestCodec.Encode(request).Length));
    }

    private static Request Decode(byte[] datagram)
    {
        bool decoded = RequestCodec.TryDecode(datagram, out Request? request, out RequestDecodeError? error);
        Assert.That(decoded, Is.True, () => $"expected a valid request, got {error}");
        Assert.That(error, Is.Null);
        return request!;
    }

    // ReplaceRequest's record equality compares ReadOnlyMemory by reference, so compare field by field.
    private static void AssertSameReplace(ReplaceRequest actual, ReplaceRequest expected) =>
        Assert.Multiple(() =>
        {
            Assert.That(actual.Opcode, Is.EqualTo(Opcode.Replace));
            Assert.That(actual.RequestId, Is.EqualTo(expected.RequestId));
            Assert.That(actual.Target, Is.EqualTo(expected.Target));
            Bytes.AssertEqual(actual.Content.Span, expected.Content.Span, "content");
            Assert.That(actual.ExpectedVersion, Is.EqualTo(expected.ExpectedVersion));
        });
}
