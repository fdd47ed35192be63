using ConfUpdate.Protocol.Tests.Support;

namespace ConfUpdate.Protocol.Tests;

/// <summary>
/// The exact bytes of each request, checked against datagrams written out by hand from the SPEC FRAME-3
/// and OP-1..OP-3 tables (big-endian ids), in both directions.
/// </summary>
public class RequestCodecLayoutTests
{
    private static readonly byte[] s_version = Enumerable.Range(0x20, 32).Select(i => (byte)i).ToArray();

    private static IEnumerable<TestCaseData> Layouts()
    {
        yield return new TestCaseData(
            new HelloRequest(0x01020304),
            new byte[] { 0x01, 0x01, 0x00, 0x00, 0x01, 0x02, 0x03, 0x04 })
            .SetArgDisplayNames("HELLO");

        yield return new TestCaseData(
            new HelloRequest(0xFFFFFFFE),
            new byte[] { 0x01, 0x01, 0x00, 0x00, 0xFF, 0xFF, 0xFF, 0xFE })
            .SetArgDisplayNames("HELLO high id");

        yield return new TestCaseData(
            new GetVersionRequest(0xA1B2C3D4, "ab"),
            new byte[] { 0x01, 0x03, 0x00, 0x00, 0xA1, 0xB2, 0xC3, 0xD4, 0x02, 0x61, 0x62 })
            .SetArgDisplayNames("GET_VERSION");

        yield return new TestCaseData(
            new GetVersionRequest(0x00000100, "é"),
            new byte[] { 0x01, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x02, 0xC3, 0xA9 })
            .SetArgDisplayNames("GET_VERSION 2-byte name");

        yield return new TestCaseData(
            new ReplaceRequest(0x00000102, "s", new byte[] { 0x00, 0xFF }),
            new byte[] { 0x01, 0x02, 0x00, 0x00, 0x00, 0x00, 0x01, 0x02, 0x01, 0x73, 0x00, 0x00, 0xFF })
            .SetArgDisplayNames("REPLACE");

        yield return new TestCaseData(
            new ReplaceRequest(0x10000000, "s", ReadOnlyMemory<byte>.Empty),
            new byte[] { 0x01, 0x02, 0x00, 0x00, 0x10, 0x00, 0x00, 0x00, 0x01, 0x73, 0x00 })
            .SetArgDisplayNames("REPLACE empty content");

        yield return new TestCaseData(
            new ReplaceRequest(0x00000005, "xy", new byte[] { 0x41, 0x00 }, ContentVersion.FromBytes(s_version)),
            new byte[] { 0x01, 0x02, 0x00, 0x00, 0x00, 0x00, 0x00, 0x05, 0x02, 0x78, 0x79, 0x01 }
                .Concat(s_version).Concat(new byte[] { 0x41, 0x00 }).ToArray())
            .SetArgDisplayNames("REPLACE with expected version");

        yield return new TestCaseData(
            new ReplaceRequest(0x00000006, "xy", ReadOnlyMemory<byte>.Empty, ContentVersion.FromBytes(s_version)),
            new byte[] { 0x01, 0x02, 0x00, 0x00, 0x00, 0x00, 0x00, 0x06, 0x02, 0x78, 0x79, 0x01 }
                .Concat(s_version).ToArray())
            .SetArgDisplayNames("REPLACE with expected version, empty content");
    }

    [TestCaseSource(nameof(Layouts))]
    public void Encode_ProducesTheSpecifiedBytes(Request request, byte[] expected)
    {
        byte[] datagram = RequestCodec.Encode(request);

        Assert.That(datagram, Is.EqualTo(expected));
    }

    [TestCaseSource(nameof(Layouts))]
    public void TryDecode_OfTheSpecifiedBytes_GivesTheRequest(Request expected, byte[] datagram)
    {
        bool decoded = RequestCodec.TryDecode(datagram, out Request? request, out RequestDecodeError? error);

        Assert.That(decoded, Is.True, () => error!.Message);
        Assert.Multiple(() =>
        {
            Assert.That(request!.GetType(), Is.EqualTo(expected.GetType()));
            Assert.That(request.Opcode, Is.EqualTo(expected.Opcode));
            Assert.That(request.RequestId, Is.EqualTo(expected.RequestId));
        });
        if (expected is ReplaceRequest replace)
        {
            var actual = (ReplaceRequest)request!;
            Assert.Multiple(() =>
            {
                Assert.That(actual.Target, Is.EqualTo(replace.Target));
                Bytes.AssertEqual(actual.Content.Span, replace.Content.Span, "content");
                Assert.That(actual.ExpectedVersion, Is.EqualTo(replace.ExpectedVersion));
            });
        }
        else
        {
            Assert.That(request, Is.EqualTo(expected));
        }
    }

    [TestCase(Opcode.Hello, 0x01)]
    [TestCase(Opcode.Replace, 0x02)]
    [TestCase(Opcode.GetVersion, 0x03)]
    [TestCase(Opcode.None, 0x00)]
    public void Opcode_HasItsSpecifiedWireValue(Opcode opcode, byte wire) =>
        Assert.That((byte)opcode, Is.EqualTo(wire));

    [Test]
    public void ReplaceHasExpectedVersion_IsBitZeroOfTheOptions() =>
        Assert.That(RequestCodec.ReplaceHasExpectedVersion, Is.EqualTo(0x01));
}
