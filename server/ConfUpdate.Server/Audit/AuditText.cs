using System.Text;

namespace ConfUpdate.Server.Audit;

/// <summary>
/// Escapes peer-controlled text before it reaches a log line or a reply detail (SPEC AUDIT-2): every
/// byte outside printable ASCII (0x20..0x7e), and <c>"</c> and <c>\</c>, becomes <c>\xHH</c>, so a
/// peer can neither break a line nor forge a quoted field.
/// </summary>
internal static class AuditText
{
    /// <summary>The escaped text, in double quotes: <c>"a\x0ab"</c>.</summary>
    public static string Quote(string text) => Quote(Encoding.UTF8.GetBytes(text ?? string.Empty));

    /// <summary>The escaped bytes, in double quotes.</summary>
    public static string Quote(ReadOnlySpan<byte> bytes) => "\"" + Escape(bytes) + "\"";

    /// <summary>The escaped bytes, without quotes.</summary>
    public static string Escape(ReadOnlySpan<byte> bytes)
    {
        var builder = new StringBuilder(bytes.Length + 8);
        foreach (byte b in bytes)
        {
            if (b is >= 0x20 and < 0x7f and not (byte)'"' and not (byte)'\\')
            {
                builder.Append((char)b);
            }
            else
            {
                builder.Append("\\x").Append(HexDigit(b >> 4)).Append(HexDigit(b & 0xf));
            }
        }

        return builder.ToString();
    }

    private static char HexDigit(int value) => (char)(value < 10 ? '0' + value : 'a' + value - 10);
}
