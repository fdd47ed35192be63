using ConfUpdate.Protocol.Tests.Support;

namespace ConfUpdate.Protocol.Tests;

/// <summary>The HELLO OK body: u8 version, u32 M, u8-prefixed server name, u8-prefixed server version (SPEC OP-1).</summary>
public class HelloInfoTests
{
    [Test]
    public void Encode_ProducesTheSpecifiedBytes()
    {
        var info = new HelloInfo(1, 65536, "ab", "1");

        byte[] body = info.Encode();

        Assert.That(body, Is.EqualTo(new byte[] { 0x01, 0x00, 0x01, 0x00, 0x00, 0x02, 0x61, 0x62, 0x01, 0x31 }));
    }

    [Test]
    public void Decode_OfTheSpecifiedBytes_GivesTheInfo()
    {
        byte[] body = [0x01, 0xFF, 0xFF, 0xFF, 0xFE, 0x00, 0x03, 0x76, 0x31, 0x2E];

        HelloInfo info = HelloInfo.Decode(body);

        Assert.That(info, Is.EqualTo(new HelloInfo(1, 0xFFFFFFFE, string.Empty, "v1.")));
    }

    [TestCase(1, 2048u, "confupdate-reference", "1.0.0")]
    [TestCase(1, 65536u, "", "")]
    [TestCase(2, uint.MaxValue, "café 日本 🔧", "ü")]
    [TestCase(0, 0u, "a\0b", "\0")]
    public void Decode_OfEncode_GivesTheSameInfo(byte version, uint max, string name, string serverVersion)
    {
        var info = new HelloInfo(version, max, name, serverVersion);

        Assert.That(HelloInfo.Decode(info.Encode()), Is.EqualTo(info));
    }

    [TestCase("n", 300, 255)]
    [TestCase("é", 200, 254)]
    [TestCase("日", 100, 255)]
    [TestCase("🔧", 100, 252)]
    public void Encode_NameOver255Bytes_IsCutAtACharacterBoundary(string character, int repeat, int expectedBytes)
    {
        string name = string.Concat(Enumerable.Repeat(character, repeat));

        byte[] body = new HelloInfo(1, 65536, name, name).Encode();
        HelloInfo decoded = HelloInfo.Decode(body);

        Assert.Multiple(() =>
        {
            Assert.That(body[5], Is.EqualTo(expectedBytes));
            Assert.That(Bytes.Utf8(decoded.ServerName), Has.Length.EqualTo(expectedBytes));
            Assert.That(name, Does.StartWith(decoded.ServerName));
            Assert.That(decoded.ServerVersion, Is.EqualTo(decoded.ServerName));
        });
    }

    [Test]
    public void Decode_EveryTruncation_ThrowsProtocolException()
    {
        byte[] body = new HelloInfo(1, 65536, "server", "1.2").Encode();

        Assert.Multiple(() =>
        {
            for (int length = 0; length < body.Length; length++)
            {
                byte[] cut = body[..length];
                Assert.That(() => HelloInfo.Decode(cut), Throws.TypeOf<ProtocolException>(), $"{length} of {body.Length} bytes");
            }
        });
    }

    [TestCase(0, "protocol version")]
    [TestCase(3, "max request size")]
    [TestCase(5, "server name length")]
    [TestCase(7, "server name")]
    [TestCase(12, "server version length")]
    [TestCase(14, "server version")]
    public void Decode_Truncated_NamesTheMissingField(int length, string field)
    {
        byte[] body = new HelloInfo(1, 65536, "server", "1.2").Encode()[..length];

        var ex = Assert.Throws<ProtocolException>(() => HelloInfo.Decode(body));

        Assert.That(ex.Message, Does.Contain(field));
    }

    [Test]
    public void Decode_TrailingBytes_Throws()
    {
        byte[] body = Bytes.Concat(new HelloInfo(1, 65536, "server", "1.2").Encode(), [0]);

        var ex = Assert.Throws<ProtocolException>(() => HelloInfo.Decode(body));

        Assert.That(ex.Message, Does.Contain("trailing"));
    }

    [Test]
    public void Equality_ComparesEveryField()
    {
        var info = new HelloInfo(1, 65536, "s", "1");

        Assert.Multiple(() =>
        {
            Assert.That(new HelloInfo(1, 65536, "s", "1"), Is.EqualTo(info));
            Assert.That(new HelloInfo(1, 65536, "s", "1").GetHashCode(), Is.EqualTo(info.GetHashCode()));
            Assert.That(info with { ProtocolVersion = 2 }, Is.Not.EqualTo(info));
            Assert.That(info with { MaxRequestSize = 65535 }, Is.Not.EqualTo(info));
            Assert.That(info with { ServerName = "S" }, Is.Not.EqualTo(info));
            Assert.That(info with { ServerVersion = "2" }, Is.Not.EqualTo(info));
        });
    }
}
