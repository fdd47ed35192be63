using System.Text;

namespace ConfUpdate.Protocol.Tests;

/// <summary>The raw request writer lays out what the codec encodes, and applies each override where the spec puts that field.</summary>
public sealed class RequestWriterTests
{
    private static readonly byte[] s_name = Encoding.UTF8.GetBytes("app.conf");

    [Test]
    public void Write_WithoutOverrides_EqualsTheCodecsEncoding()
    {
        ContentVersion expected = ContentVersion.Of("old"u8.ToArray());
        byte[] content = "new\n"u8.ToArray();

        byte[] hello = RequestWriter.Write(new RawRequest(Opcode.Hello, 7));
        byte[] get = RequestWriter.Write(new RawRequest(Opcode.GetVersion, 8) { Name = s_name });
        byte[] replace = RequestWriter.Write(new RawRequest(Opcode.Replace, 9) { Name = s_name, ExpectedVersion = expected.Bytes.ToArray(), Content = content });

        Assert.That(hello, Is.EqualTo(RequestCodec.Encode(new HelloRequest(7))));
        Assert.That(get, Is.EqualTo(RequestCodec.Encode(new GetVersionRequest(8, "app.conf"))));
        Assert.That(replace, Is.EqualTo(RequestCodec.Encode(new ReplaceRequest(9, "app.conf", content, expected))));
    }

    [Test]
    public void Write_WithOverrides_PutsEachRawByteInItsField()
    {
        var request = new RawRequest(Opcode.Replace, 0x01020304)
        {
            Version = 2,
            OpcodeByte = 0x7f,
            Flags = 0x0102,
            Name = s_name,
            NameLength = 200,
            Options = 0xfe,
            Content = "x"u8.ToArray(),
            Trailing = new byte[] { 0xaa, 0xbb },
        };

        byte[] datagram = RequestWriter.Write(request);

        Assert.That(RequestHeader.TryRead(datagram, out RequestHeader header), Is.True);
        Assert.That(header, Is.EqualTo(new RequestHeader(2, 0x7f, 0x0102, 0x01020304)));
        Assert.That(datagram[ProtocolLimits.RequestHeaderSize], Is.EqualTo(200));
        Assert.That(datagram[ProtocolLimits.RequestHeaderSize + 1 + s_name.Length], Is.EqualTo(0xfe));
        Assert.That(datagram[^3..], Is.EqualTo(new byte[] { (byte)'x', 0xaa, 0xbb }));
    }

    [Test]
    public void Write_TruncateTo_CutsTheWholeDatagram()
    {
        byte[] datagram = RequestWriter.Write(new RawRequest(Opcode.Replace, 1) { Name = s_name, Content = new byte[100], TruncateTo = 5 });

        Assert.That(datagram, Has.Length.EqualTo(5));
        Assert.That(RequestHeader.TryRead(datagram, out _), Is.False);
    }

    [TestCase(Opcode.Hello, "HELLO")]
    [TestCase(Opcode.Replace, "REPLACE")]
    [TestCase(Opcode.GetVersion, "GET_VERSION")]
    public void OpcodeInfo_WireName_RoundTripsCaseInsensitively(Opcode opcode, string name)
    {
        Assert.That(OpcodeInfo.WireName(opcode), Is.EqualTo(name));
        Assert.That(OpcodeInfo.TryParseWireName(name.ToLowerInvariant(), out Opcode parsed), Is.True);
        Assert.That(parsed, Is.EqualTo(opcode));
    }
}
