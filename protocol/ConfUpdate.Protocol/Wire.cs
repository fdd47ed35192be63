using System.Text;

namespace ConfUpdate.Protocol;

/// <summary>Small encoding helpers shared by the codecs.</summary>
internal static class Wire
{
    /// <summary>Strict UTF-8: invalid input throws instead of turning into U+FFFD.</summary>
    public static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Encodes text as UTF-8, cut at a character boundary so that it fits <paramref name="maxBytes"/>.</summary>
    public static byte[] Utf8Truncated(string text, int maxBytes)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(text);
        if (bytes.Length <= maxBytes)
        {
            return bytes;
        }

        int end = maxBytes;
        // Back up over UTF-8 continuation bytes (10xxxxxx) so a character is never split.
        while (end > 0 && (bytes[end] & 0xC0) == 0x80)
        {
            end--;
        }

        return bytes[..end];
    }
}
