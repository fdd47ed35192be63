namespace ConfUpdate.Harness.Scenarios;

/// <summary>Hex text as scenarios write it: pairs of digits, spaces and underscores ignored.</summary>
internal static class HexText
{
    public static byte[] Parse(string hex)
    {
        string digits = new(hex.Where(c => !char.IsWhiteSpace(c) && c != '_').ToArray());
        try
        {
            return Convert.FromHexString(digits);
        }
        catch (FormatException ex)
        {
            throw new FormatException($"'{hex}' is not hex bytes (pairs of 0-9a-f, spaces allowed).", ex);
        }
    }
}
