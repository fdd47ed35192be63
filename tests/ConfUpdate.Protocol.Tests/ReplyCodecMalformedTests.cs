using ConfUpdate.Protocol.Tests.Support;

namespace ConfUpdate.Protocol.Tests;

/// <summary>A client refuses reply datagrams that break SPEC FRAME-3/FRAME-9, with a message naming the field.</summary>
public class ReplyCodecMalformedTests
{
    private static byte[] ValidReply() =>
        ReplyCodec.Encode(new Reply(Opcode.Replace, Status.Ok, 0x01020304, "ok", ContentVersion.Absent.Bytes.ToArray()));

    [TestCase(0, "protocol version")]
    [TestCase(1, "opcode")]
    [TestCase(2, "status")]
    [TestCase(3, "reserved")]
    [TestCase(4, "request id")]
    [TestCase(7, "request id")]
    [TestCase(8, "detail length")]
    [TestCase(9, "detail length")]
    [TestCase(10, "detail")]
    [TestCase(11, "detail")]
    public void Decode_TruncatedReply_ThrowsNamingTheMissingField(int length, string field)
    {
        byte[] datagram = ValidReply()[..length];

        var ex = Assert.Throws<ProtocolException>(() => ReplyCodec.Decode(datagram));

        Assert.That(ex.Message, Does.Contain(field));
    }

    [TestCase((byte)0x00)]
    [TestCase((byte)0x02)]
    [TestCase((byte)0xFF)]
    public void Decode_WrongVersion_ThrowsNamingTheVersion(byte version)
    {
        byte[] datagram = ValidReply();
        datagram[0] = version;

        var ex = Assert.Throws<ProtocolException>(() => ReplyCodec.Decode(datagram));

        Assert.That(ex.Message, Does.Contain("version").And.Contain(version.ToString()));
    }

    [TestCase((byte)0x00)]
    [TestCase((byte)0x01)]
    [TestCase((byte)0x02)]
    [TestCase((byte)0x7F)]
    public void Decode_OpcodeWithoutReplyBit_ThrowsNamingTheReplyBit(byte opcode)
    {
        // A request echoed back (or a request sent to a client) must not pass for a reply.
        byte[] datagram = ValidReply();
        datagram[1] = opcode;

        var ex = Assert.Throws<ProtocolException>(() => ReplyCodec.Decode(datagram));

        Assert.That(ex.Message, Does.Contain("reply bit").And.Contain($"0x{opcode:x2}"));
    }

    [Test]
    public void Decode_ARequestDatagram_IsRefused()
    {
        byte[] request = RequestCodec.Encode(new GetVersionRequest(1, "site"));

        Assert.Throws<ProtocolException>(() => ReplyCodec.Decode(request));
    }

    [TestCase((byte)0x01)]
    [TestCase((byte)0x80)]
    [TestCase((byte)0xFF)]
    public void Decode_NonzeroReserved_ThrowsNamingTheReservedByte(byte reserved)
    {
        byte[] datagram = ValidReply();
        datagram[3] = reserved;

        var ex = Assert.Throws<ProtocolException>(() => ReplyCodec.Decode(datagram));

        Assert.That(ex.Message, Does.Contain("reserved"));
    }

    [TestCase(1, 0)]
    [TestCase(5, 4)]
    [TestCase(1024, 1023)]
    [TestCase(0xFFFF, 10)]
    public void Decode_DetailLengthBeyondTheData_ThrowsNamingTheDetail(int declared, int present)
    {
        byte[] datagram = Bytes.Concat([0x01, 0x81, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, (byte)(declared >> 8), (byte)declared], new byte[present]);

        var ex = Assert.Throws<ProtocolException>(() => ReplyCodec.Decode(datagram));

        Assert.That(ex.Message, Does.Contain("detail"));
    }

    [TestCase(1025)]
    [TestCase(2038)]
    [TestCase(0xFFFF)]
    public void Decode_DetailLengthOver1024_ThrowsNamingTheDetailAndItsLength(int declared)
    {
        // The detail bytes are there (as far as the 2048-byte ceiling allows); only the declared length is wrong.
        int present = Math.Min(declared, ProtocolLimits.MaxReplySize - ProtocolLimits.ReplyHeaderSize);
        byte[] datagram = Bytes.Concat([0x01, 0x81, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, (byte)(declared >> 8), (byte)declared], new byte[present]);

        var ex = Assert.Throws<ProtocolException>(() => ReplyCodec.Decode(datagram));

        Assert.That(ex.Message, Does.Contain("detail").And.Contain(declared.ToString()).And.Contain("1024"));
    }

    [TestCase(2049)]
    [TestCase(4096)]
    [TestCase(65536)]
    public void Decode_ReplyOver2048Bytes_ThrowsNamingTheSize(int length)
    {
        byte[] datagram = new byte[length];
        ValidReply().CopyTo(datagram, 0);

        var ex = Assert.Throws<ProtocolException>(() => ReplyCodec.Decode(datagram));

        Assert.That(ex.Message, Does.Contain(length.ToString()).And.Contain("2048"));
    }

    [Test]
    public void Decode_DetailOfExactly1024BytesInA2048ByteReply_IsAccepted()
    {
        byte[] datagram = Bytes.Concat([0x01, 0x81, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x04, 0x00], Bytes.Pattern(1024, 0x41).Select(b => (byte)(0x20 + (b % 0x5F))).ToArray(), new byte[1014]);

        Reply reply = ReplyCodec.Decode(datagram);

        Assert.Multiple(() =>
        {
            Assert.That(reply.Detail, Has.Length.EqualTo(1024));
            Assert.That(reply.Body.Length, Is.EqualTo(1014));
        });
    }
}
