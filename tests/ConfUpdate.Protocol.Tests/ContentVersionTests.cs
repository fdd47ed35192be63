using ConfUpdate.Protocol.Tests.Support;

namespace ConfUpdate.Protocol.Tests;

/// <summary>A version is the SHA-256 of the content; the absent target's version is 32 zero bytes (SPEC OP-3, OP-4).</summary>
public class ContentVersionTests
{
    // FIPS 180-2 test vectors.
    private const string EmptySha256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
    private const string AbcSha256 = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";

    [TestCase("", EmptySha256)]
    [TestCase("abc", AbcSha256)]
    public void Of_IsTheSha256OfTheContent(string content, string expected) =>
        Assert.That(ContentVersion.Of(Bytes.Utf8(content)).ToString(), Is.EqualTo(expected));

    [Test]
    public void Of_EmptyContent_IsNotTheAbsentVersion()
    {
        // An existing empty file and a missing file are different states for compare-and-set.
        Assert.Multiple(() =>
        {
            Assert.That(ContentVersion.Of([]).IsAbsent, Is.False);
            Assert.That(ContentVersion.Of([]), Is.Not.EqualTo(ContentVersion.Absent));
        });
    }

    [Test]
    public void Absent_Is32ZeroBytes()
    {
        Assert.Multiple(() =>
        {
            Assert.That(ContentVersion.Absent.Bytes.ToArray(), Is.EqualTo(new byte[32]));
            Assert.That(ContentVersion.Absent.IsAbsent, Is.True);
            Assert.That(ContentVersion.FromBytes(new byte[32]).IsAbsent, Is.True);
            Assert.That(ContentVersion.Absent.ToString(), Is.EqualTo(new string('0', 64)));
        });
    }

    [Test]
    public void Parse_AcceptsEitherCase_AndToStringIsLowerCase()
    {
        var lower = ContentVersion.Parse(AbcSha256);
        var upper = ContentVersion.Parse(AbcSha256.ToUpperInvariant());

        Assert.Multiple(() =>
        {
            Assert.That(upper, Is.EqualTo(lower));
            Assert.That(upper.ToString(), Is.EqualTo(AbcSha256));
            Assert.That(lower, Is.EqualTo(ContentVersion.Of(Bytes.Utf8("abc"))));
        });
    }

    [TestCase(0)]
    [TestCase(63)]
    [TestCase(65)]
    [TestCase(128)]
    public void Parse_WrongLength_ThrowsFormatExceptionNamingTheLength(int length)
    {
        var ex = Assert.Throws<FormatException>(() => ContentVersion.Parse(new string('a', length)));

        Assert.That(ex.Message, Does.Contain("64").And.Contain($"got {length}"));
    }

    [TestCase("g")]
    [TestCase(" ")]
    [TestCase("-")]
    [TestCase("é")]
    public void Parse_NonHexDigit_ThrowsFormatException(string bad)
    {
        string hex = bad + AbcSha256[1..];

        Assert.Throws<FormatException>(() => ContentVersion.Parse(hex));
    }

    [Test]
    public void Parse_Null_ThrowsArgumentNull() =>
        Assert.Throws<ArgumentNullException>(() => ContentVersion.Parse(null!));

    [TestCase(0)]
    [TestCase(31)]
    [TestCase(33)]
    [TestCase(64)]
    public void FromBytes_WrongLength_ThrowsNamingTheLength(int length)
    {
        var ex = Assert.Throws<ArgumentException>(() => ContentVersion.FromBytes(new byte[length]));

        Assert.That(ex.Message, Does.Contain("32").And.Contain($"got {length}"));
    }

    [Test]
    public void FromBytes_CopiesTheBytes()
    {
        byte[] source = Bytes.Pattern(32, 1);
        var version = ContentVersion.FromBytes(source);

        source[0] ^= 0xFF;

        Assert.That(version.Bytes.ToArray(), Is.EqualTo(Bytes.Pattern(32, 1)));
    }

    [Test]
    public void Bytes_RoundTripThroughFromBytesAndParse()
    {
        var version = ContentVersion.Of(Bytes.AllValues());

        Assert.Multiple(() =>
        {
            Assert.That(ContentVersion.FromBytes(version.Bytes), Is.EqualTo(version));
            Assert.That(ContentVersion.Parse(version.ToString()), Is.EqualTo(version));
        });
    }

    [Test]
    public void Equality_IsByValue()
    {
        var a = ContentVersion.Of(Bytes.Utf8("x"));
        var b = ContentVersion.FromBytes(a.Bytes);
        var c = ContentVersion.Of(Bytes.Utf8("y"));

        Assert.Multiple(() =>
        {
            Assert.That(a.Equals(b), Is.True);
            Assert.That(a.Equals((object)b), Is.True);
            Assert.That(a.GetHashCode(), Is.EqualTo(b.GetHashCode()));
            Assert.That(a.Equals(c), Is.False);
            Assert.That(a.Equals((object)"x"), Is.False);
            // Last: the compiler reads Equals(null) as a null test and marks 'a' maybe-null after it.
            Assert.That(a.Equals(null), Is.False);
        });
    }

    [Test]
    public void Equality_VersionsDifferingOnlyInTheLastByte_AreDifferent()
    {
        byte[] bytes = new byte[32];
        bytes[31] = 1;

        Assert.That(ContentVersion.FromBytes(bytes), Is.Not.EqualTo(ContentVersion.Absent));
    }
}
