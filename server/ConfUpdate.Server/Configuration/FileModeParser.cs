namespace ConfUpdate.Server.Configuration;

/// <summary>Parses permission modes written as octal strings ("0640", "640") (SPEC CONF-1).</summary>
internal static class FileModeParser
{
    /// <summary>The largest accepted mode: rwx for owner, group and others; setuid, setgid and sticky are refused.</summary>
    public const int MaxMode = 0b111_111_111;

    /// <summary>
    /// Parses 1 to 4 octal digits (an optional leading 0 included) into permission bits. Returns false
    /// with a reason for anything else: other characters, a non-octal digit, special bits.
    /// </summary>
    public static bool TryParse(string? text, out UnixFileMode mode, out string problem)
    {
        mode = UnixFileMode.None;
        problem = string.Empty;
        if (string.IsNullOrEmpty(text) || text.Length > 4)
        {
            problem = "not an octal mode: expected 1 to 4 octal digits such as \"0640\"";
            return false;
        }

        int value = 0;
        foreach (char c in text)
        {
            if (c is < '0' or > '7')
            {
                problem = $"not an octal mode: '{c}' is not an octal digit (expected e.g. \"0640\")";
                return false;
            }

            value = (value * 8) + (c - '0');
        }

        if (value > MaxMode)
        {
            problem = "setuid, setgid and sticky bits are not supported: expected a mode from 0000 to 0777";
            return false;
        }

        mode = (UnixFileMode)value;
        return true;
    }

    /// <summary>Formats a mode as four octal digits ("0640").</summary>
    public static string Format(UnixFileMode mode) => "0" + Convert.ToString((int)mode, 8).PadLeft(3, '0');
}
