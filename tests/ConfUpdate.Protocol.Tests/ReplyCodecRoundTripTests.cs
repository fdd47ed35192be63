using System.Text;
using ConfUpdate.Protocol.Tests.Support;

namespace ConfUpdate.Protocol.Tests;

/// <summary>Reply encoding: layout, round trips, the 1024-byte detail cut and the 2048-byte ceiling (SPEC FRAME-3, FRAME-9).</summary>
public class ReplyCodecRoundTripTests
{
    private static readonly UTF8Encoding s_strictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private static IEnumerable<TestCaseData> Replies()
    {
        byte[] hello = new HelloInfo(1, 65536, "confupdate-reference", "1.0.0").Encode();
        yield return new TestCaseData(new Reply(Opcode.Hello, Status.Ok, 1, string.Empty, hello)).SetArgDisplayNames("HELLO OK");
        yield return new TestCaseData(new Reply(Opcode.Replace, Status.Ok, 0xFFFFFFFF, "installed", ContentVersion.Of(Bytes.AllValues()).Bytes.ToArray()))
            .SetArgDisplayNames("REPLACE OK");
        yield return new TestCaseData(new Reply(Opcode.GetVersion, Status.Ok, 0x80000000, string.Empty, TargetVersion.Absent.Encode()))
            .SetArgDisplayNames("GET_VERSION OK");
        yield return new TestCaseData(new Reply(Opcode.Hello, Status.UnsupportedVersion, 5, "speak version 1", new byte[] { 1 }))
            .SetArgDisplayNames("UNSUPPORTED_VERSION");
        yield return new TestCaseData(Reply.Failure(Opcode.None, Status.Forbidden, 0, string.Empty)).SetArgDisplayNames("FORBIDDEN unsolicited");
        yield return new TestCaseData(Reply.Failure(Opcode.None, Status.Busy, 0, "too many connections")).SetArgDisplayNames("BUSY unsolicited");
        yield return new TestCaseData(Reply.Failure(Opcode.None, Status.ShuttingDown, 0, "bye")).SetArgDisplayNames("SHUTTING_DOWN unsolicited");
        yield return new TestCaseData(Reply.Failure(Opcode.None, Status.BadRequest, 0, "Request is 3 byte(s)")).SetArgDisplayNames("BAD_REQUEST to a short request");
        yield return new TestCaseData(Reply.Failure(Opcode.Replace, Status.ValidationFailed, 77, "validator exit 1: \"line 3: ¿qué?\" 日本 🔧"))
            .SetArgDisplayNames("VALIDATION_FAILED multi-byte detail");
        yield return new TestCaseData(Reply.Failure(Opcode.GetVersion, Status.UnknownTarget, 9, new string('d', ProtocolLimits.MaxDetailBytes)))
            .SetArgDisplayNames("1024-byte detail");
        yield return new TestCaseData(new Reply(Opcode.Hello, Status.Ok, 2, new string('d', 1024), new byte[ProtocolLimits.MaxReplySize - 10 - 1024]))
            .SetArgDisplayNames("exactly 2048 bytes");
        yield return new TestCaseData(Reply.Failure((Opcode)0x7F, Status.UnknownOperation, 3, "opcode 0x7f")).SetArgDisplayNames("UNKNOWN_OPERATION 0x7f");
        yield return new TestCaseData(Reply.Failure(Opcode.Replace, (Status)200, 3, "from a later version")).SetArgDisplayNames("status value not defined yet");
    }

    private static IEnumerable<TestCaseData> Layouts()
    {
        yield return new TestCaseData(
            Reply.Failure(Opcode.None, Status.Forbidden, 0, string.Empty),
            new byte[] { 0x01, 0x80, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00 })
            .SetArgDisplayNames("unsolicited FORBIDDEN");
        yield return new TestCaseData(
            Reply.Failure(Opcode.GetVersion, Status.UnknownTarget, 0x01020304, "no"),
            new byte[] { 0x01, 0x83, 0x06, 0x00, 0x01, 0x02, 0x03, 0x04, 0x00, 0x02, 0x6E, 0x6F })
            .SetArgDisplayNames("GET_VERSION UNKNOWN_TARGET");
        yield return new TestCaseData(
            new Reply(Opcode.Replace, Status.Ok, 0xA1B2C3D4, "é", new byte[] { 0xAA, 0x00 }),
            new byte[] { 0x01, 0x82, 0x00, 0x00, 0xA1, 0xB2, 0xC3, 0xD4, 0x00, 0x02, 0xC3, 0xA9, 0xAA, 0x00 })
            .SetArgDisplayNames("REPLACE OK with detail and body");
        yield return new TestCaseData(
            new Reply(Opcode.Hello, Status.UnsupportedVersion, 0x00000100, string.Empty, new byte[] { 0x01 }),
            new byte[] { 0x01, 0x81, 0x03, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01 })
            .SetArgDisplayNames("UNSUPPORTED_VERSION body");
        yield return new TestCaseData(
            Reply.Failure(Opcode.Hello, Status.ShuttingDown, 0, new string('x', 0x0102)),
            Bytes.Concat([0x01, 0x81, 0x0C, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x02], Enumerable.Repeat((byte)'x', 0x0102).ToArray()))
            .SetArgDisplayNames("detail length big-endian");
    }

    [TestCaseSource(nameof(Replies))]
    public void Decode_OfEncode_GivesTheSameReply(Reply original)
    {
        byte[] datagram = ReplyCodec.Encode(original);

        Reply decoded = ReplyCodec.Decode(datagram);

        AssertSameReply(decoded, original);
    }

    [TestCaseSource(nameof(Layouts))]
    public void Encode_ProducesTheSpecifiedBytes(Reply reply, byte[] expected) =>
        Assert.That(ReplyCodec.Encode(reply), Is.EqualTo(expected));

    [TestCaseSource(nameof(Layouts))]
    public void Decode_OfTheSpecifiedBytes_GivesTheReply(Reply expected, byte[] datagram) =>
        AssertSameReply(ReplyCodec.Decode(datagram), expected);

    [TestCase(1023)]
    [TestCase(1024)]
    [TestCase(1025)]
    [TestCase(5000)]
    public void Encode_AsciiDetail_KeepsAtMost1024Bytes(int length)
    {
        string detail = new('a', length);

        Reply decoded = ReplyCodec.Decode(ReplyCodec.Encode(Reply.Failure(Opcode.Hello, Status.InternalError, 1, detail)));

        Assert.That(decoded.Detail, Is.EqualTo(detail[..Math.Min(length, ProtocolLimits.MaxDetailBytes)]));
    }

    // Each case puts a multi-byte character across the 1024-byte line, so a byte cut would split it.
    [TestCase("é", 0, 1024)]
    [TestCase("é", 1, 1023)]
    [TestCase("日", 0, 1023)]
    [TestCase("日", 1, 1024)]
    [TestCase("日", 2, 1022)]
    [TestCase("🔧", 0, 1024)]
    [TestCase("🔧", 1, 1021)]
    [TestCase("🔧", 2, 1022)]
    [TestCase("🔧", 3, 1023)]
    public void Encode_LongMultiByteDetail_IsCutAtACharacterBoundary(string character, int asciiPrefix, int expectedBytes)
    {
        string detail = new string('a', asciiPrefix) + string.Concat(Enumerable.Repeat(character, 600));

        byte[] datagram = ReplyCodec.Encode(Reply.Failure(Opcode.Replace, Status.ValidationFailed, 1, detail));

        int detailLength = (datagram[8] << 8) | datagram[9];
        byte[] detailBytes = datagram[ProtocolLimits.ReplyHeaderSize..];
        Assert.Multiple(() =>
        {
            Assert.That(detailLength, Is.EqualTo(expectedBytes));
            Assert.That(detailBytes, Has.Length.EqualTo(detailLength));
            Assert.That(() => s_strictUtf8.GetString(detailBytes), Throws.Nothing, "the cut detail is valid UTF-8");
            Assert.That(detail, Does.StartWith(s_strictUtf8.GetString(detailBytes)));
        });
    }

    [TestCase(0)]
    [TestCase(1)]
    [TestCase(1024)]
    [TestCase(1025)]
    [TestCase(100_000)]
    public void Encode_LargestBodyThatFits_NeverExceeds2048Bytes(int detailLength)
    {
        int detailBytes = Math.Min(detailLength, ProtocolLimits.MaxDetailBytes);
        byte[] body = new byte[ProtocolLimits.MaxReplySize - ProtocolLimits.ReplyHeaderSize - detailBytes];

        byte[] datagram = ReplyCodec.Encode(new Reply(Opcode.Hello, Status.Ok, 1, new string('d', detailLength), body));

        Assert.That(datagram, Has.Length.EqualTo(ProtocolLimits.MaxReplySize));
    }

    [TestCase(0, 2039)]
    [TestCase(1024, 1015)]
    [TestCase(100_000, 1015)]
    [TestCase(0, 65536)]
    public void Encode_BodyThatWouldPassTheCeiling_Throws(int detailLength, int bodyLength)
    {
        var reply = new Reply(Opcode.Hello, Status.Ok, 1, new string('d', detailLength), new byte[bodyLength]);

        var ex = Assert.Throws<ArgumentException>(() => ReplyCodec.Encode(reply));

        Assert.That(ex.Message, Does.Contain("2048"));
    }

    [Test]
    public void Encode_NullReply_ThrowsArgumentNull() =>
        Assert.Throws<ArgumentNullException>(() => ReplyCodec.Encode(null!));

    [TestCase(Opcode.None, Status.Forbidden, 0u, true)]
    [TestCase(Opcode.None, Status.Busy, 0u, true)]
    [TestCase(Opcode.None, Status.ShuttingDown, 0u, true)]
    [TestCase(Opcode.Hello, Status.ShuttingDown, 0u, false)]
    [TestCase(Opcode.None, Status.Forbidden, 1u, false)]
    [TestCase(Opcode.None, Status.BadRequest, 0u, false)]
    public void IsUnsolicited_OnlyForClosingStatusesWithoutOpcodeAndId(Opcode opcode, Status status, uint id, bool unsolicited) =>
        Assert.That(Reply.Failure(opcode, status, id, string.Empty).IsUnsolicited, Is.EqualTo(unsolicited));

    private static void AssertSameReply(Reply actual, Reply expected)
    {
        string expectedDetail = Encoding.UTF8.GetString(Encoding.UTF8.GetBytes(expected.Detail).Take(ProtocolLimits.MaxDetailBytes).ToArray());
        Assert.Multiple(() =>
        {
            Assert.That(actual.Opcode, Is.EqualTo(expected.Opcode));
            Assert.That(actual.Status, Is.EqualTo(expected.Status));
            Assert.That(actual.RequestId, Is.EqualTo(expected.RequestId));
            Assert.That(actual.Detail, Is.EqualTo(expectedDetail));
            Assert.That(actual.Body.ToArray(), Is.EqualTo(expected.Body.ToArray()));
        });
    }
}
