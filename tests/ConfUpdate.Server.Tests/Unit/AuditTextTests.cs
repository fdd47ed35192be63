using System.Text;
using ConfUpdate.Server.Audit;

namespace ConfUpdate.Server.Tests.Unit;

/// <summary>SPEC AUDIT-2: peer text cannot break or forge a log line.</summary>
public sealed class AuditTextTests
{
    [Test]
    public void Quote_PrintableAscii_IsKeptAndQuoted()
    {
        Assert.That(AuditText.Quote("site.conf-1_A"), Is.EqualTo("\"site.conf-1_A\""));
    }

    [Test]
    public void Quote_NewlineAndForgedField_AreEscaped()
    {
        string forged = "x\naudit event=accept uid=0";

        string quoted = AuditText.Quote(forged);

        Assert.Multiple(() =>
        {
            Assert.That(quoted, Is.EqualTo("\"x\\x0aaudit event=accept uid=0\""));
            Assert.That(quoted, Does.Not.Contain("\n"));
        });
    }

    [Test]
    public void Quote_QuoteAndBackslash_BecomeHex()
    {
        Assert.That(AuditText.Quote("a\"b\\c"), Is.EqualTo("\"a\\x22b\\x5cc\""));
    }

    [Test]
    public void Escape_ControlDelAndHighBytes_BecomeLowerCaseHex()
    {
        byte[] bytes = [0x00, 0x1b, 0x7f, 0x80, 0xff, (byte)'A'];

        Assert.That(AuditText.Escape(bytes), Is.EqualTo("\\x00\\x1b\\x7f\\x80\\xffA"));
    }

    [Test]
    public void Quote_NonAsciiText_IsEscapedAsUtf8Bytes()
    {
        Assert.That(AuditText.Quote("é"), Is.EqualTo("\"\\xc3\\xa9\""));
    }

    [Test]
    public void Escape_EveryByte_YieldsOnlyPrintableAsciiWithoutQuotes()
    {
        byte[] all = [.. Enumerable.Range(0, 256).Select(i => (byte)i)];

        string escaped = AuditText.Escape(all);

        Assert.Multiple(() =>
        {
            Assert.That(escaped.All(c => c is >= ' ' and <= '~'), Is.True);
            Assert.That(escaped, Does.Not.Contain("\""));
            Assert.That(Encoding.ASCII.GetByteCount(escaped), Is.EqualTo(escaped.Length));
        });
    }
}
