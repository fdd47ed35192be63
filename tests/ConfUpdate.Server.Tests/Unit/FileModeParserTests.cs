using ConfUpdate.Server.Configuration;

namespace ConfUpdate.Server.Tests.Unit;

/// <summary>Octal mode strings as CONF-1 writes them.</summary>
public sealed class FileModeParserTests
{
    [TestCase("0660", 0b110_110_000)]
    [TestCase("660", 0b110_110_000)]
    [TestCase("0640", 0b110_100_000)]
    [TestCase("0600", 0b110_000_000)]
    [TestCase("0777", 0b111_111_111)]
    [TestCase("0", 0)]
    [TestCase("0000", 0)]
    public void TryParse_OctalDigits_YieldsPermissionBits(string text, int expected)
    {
        bool ok = FileModeParser.TryParse(text, out UnixFileMode mode, out _);

        Assert.Multiple(() =>
        {
            Assert.That(ok, Is.True);
            Assert.That((int)mode, Is.EqualTo(expected));
        });
    }

    [TestCase("0999", "not an octal digit")]
    [TestCase("rw-r-----", "octal")]
    [TestCase("0o640", "octal")]
    [TestCase("0o64", "not an octal digit")]
    [TestCase("", "octal")]
    [TestCase("00640", "octal")]
    [TestCase("-640", "not an octal digit")]
    [TestCase("4755", "setuid")]
    [TestCase("1777", "sticky")]
    public void TryParse_Malformed_FailsWithReason(string text, string reason)
    {
        bool ok = FileModeParser.TryParse(text, out _, out string problem);

        Assert.Multiple(() =>
        {
            Assert.That(ok, Is.False);
            Assert.That(problem, Does.Contain(reason));
        });
    }

    [Test]
    public void Format_Mode_IsFourOctalDigits()
    {
        Assert.That(FileModeParser.Format((UnixFileMode)0b110_100_000), Is.EqualTo("0640"));
    }
}
