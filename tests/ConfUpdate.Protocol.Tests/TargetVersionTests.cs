using ConfUpdate.Protocol.Tests.Support;

namespace ConfUpdate.Protocol.Tests;

/// <summary>The GET_VERSION OK body: u8 exists, u64 size, 32-byte SHA-256 (SPEC OP-3).</summary>
public class TargetVersionTests
{
    private static readonly byte[] s_versionBytes = Enumerable.Range(0xA0, 32).Select(i => (byte)i).ToArray();

    [Test]
    public void Encode_ProducesTheSpecifiedBytes()
    {
        var version = new TargetVersion(true, 0x0102030405060708, ContentVersion.FromBytes(s_versionBytes));

        byte[] body = version.Encode();

        Assert.That(body, Is.EqualTo(Bytes.Concat([0x01, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08], s_versionBytes)));
    }

    [Test]
    public void Absent_EncodesAs41ZeroBytes()
    {
        byte[] body = TargetVersion.Absent.Encode();

        Assert.Multiple(() =>
        {
            Assert.That(body, Is.EqualTo(new byte[41]));
            Assert.That(TargetVersion.EncodedSize, Is.EqualTo(41));
            Assert.That(TargetVersion.Absent.Exists, Is.False);
            Assert.That(TargetVersion.Absent.Size, Is.Zero);
            Assert.That(TargetVersion.Absent.Version.IsAbsent, Is.True);
        });
    }

    [TestCase(false, 0ul)]
    [TestCase(true, 0ul)]
    [TestCase(true, 65000ul)]
    [TestCase(true, ulong.MaxValue)]
    public void Decode_OfEncode_GivesTheSameVersion(bool exists, ulong size)
    {
        var version = new TargetVersion(exists, size, ContentVersion.Of(Bytes.Pattern((int)Math.Min(size, 1000))));

        Assert.That(TargetVersion.Decode(version.Encode()), Is.EqualTo(version));
    }

    [Test]
    public void Decode_OfTheSpecifiedBytes_GivesTheVersion()
    {
        byte[] body = Bytes.Concat([0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00], s_versionBytes);

        TargetVersion version = TargetVersion.Decode(body);

        Assert.That(version, Is.EqualTo(new TargetVersion(true, 256, ContentVersion.FromBytes(s_versionBytes))));
    }

    [TestCase((byte)2)]
    [TestCase((byte)0x80)]
    [TestCase((byte)0xFF)]
    public void Decode_ExistsFlagOtherThan0Or1_ThrowsNamingTheFlag(byte exists)
    {
        byte[] body = TargetVersion.Absent.Encode();
        body[0] = exists;

        var ex = Assert.Throws<ProtocolException>(() => TargetVersion.Decode(body));

        Assert.That(ex.Message, Does.Contain("exists").And.Contain(exists.ToString()));
    }

    [TestCase(0, "exists")]
    [TestCase(1, "size")]
    [TestCase(8, "size")]
    [TestCase(9, "version")]
    [TestCase(40, "version")]
    public void Decode_Truncated_ThrowsNamingTheMissingField(int length, string field)
    {
        byte[] body = TargetVersion.Absent.Encode()[..length];

        var ex = Assert.Throws<ProtocolException>(() => TargetVersion.Decode(body));

        Assert.That(ex.Message, Does.Contain(field));
    }

    [TestCase(42)]
    [TestCase(73)]
    public void Decode_TrailingBytes_Throws(int length)
    {
        byte[] body = new byte[length];

        var ex = Assert.Throws<ProtocolException>(() => TargetVersion.Decode(body));

        Assert.That(ex.Message, Does.Contain("trailing"));
    }

    [Test]
    public void Equality_ComparesVersionsByValue()
    {
        var a = new TargetVersion(true, 3, ContentVersion.Of(Bytes.Utf8("abc")));
        var b = new TargetVersion(true, 3, ContentVersion.FromBytes(ContentVersion.Of(Bytes.Utf8("abc")).Bytes));

        Assert.Multiple(() =>
        {
            Assert.That(b, Is.EqualTo(a));
            Assert.That(b.GetHashCode(), Is.EqualTo(a.GetHashCode()));
            Assert.That(a with { Exists = false }, Is.Not.EqualTo(a));
            Assert.That(a with { Size = 4 }, Is.Not.EqualTo(a));
            Assert.That(a with { Version = ContentVersion.Of(Bytes.Utf8("abd")) }, Is.Not.EqualTo(a));
        });
    }
}
