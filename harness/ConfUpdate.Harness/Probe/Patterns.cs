namespace ConfUpdate.Harness.Probe;

/// <summary>
/// Named byte patterns for generated content, shared by the probe (which fills datagrams) and the kit
/// (which hashes the expected content). Deterministic, so a size alone says what was sent.
/// </summary>
internal static class Patterns
{
    /// <summary>The names the scenario format accepts.</summary>
    public static readonly IReadOnlyList<string> Names = ["counter", "ascii", "zero", "ff", "lines"];

    /// <summary>Whether <paramref name="name"/> is a known pattern.</summary>
    public static bool IsKnown(string? name) => name is null || Names.Contains(name);

    /// <summary>Fills <paramref name="destination"/> with the pattern.</summary>
    public static void Fill(string? name, Span<byte> destination)
    {
        switch (name ?? "counter")
        {
            case "zero":
                destination.Clear();
                break;
            case "ff":
                destination.Fill(0xff);
                break;
            case "ascii":
                for (int i = 0; i < destination.Length; i++)
                {
                    destination[i] = (byte)('a' + (i % 26));
                }

                break;
            case "lines":
                // "line 000001\n"-style text: easy to read in a diff of a target file.
                for (int i = 0; i < destination.Length; i++)
                {
                    int col = i % 12;
                    destination[i] = col == 11 ? (byte)'\n' : col < 5 ? (byte)"line "[col] : (byte)('0' + (i / 12 / Pow10(10 - col) % 10));
                }

                break;
            case "counter":
                for (int i = 0; i < destination.Length; i++)
                {
                    destination[i] = (byte)i;
                }

                break;
            default:
                throw new ArgumentException($"Unknown pattern '{name}'; expected one of {string.Join(", ", Names)}.", nameof(name));
        }
    }

    /// <summary>Returns <paramref name="length"/> bytes of the pattern.</summary>
    public static byte[] Make(string? name, int length)
    {
        var bytes = new byte[length];
        Fill(name, bytes);
        return bytes;
    }

    private static int Pow10(int n)
    {
        int r = 1;
        for (int i = 0; i < n; i++)
        {
            r *= 10;
        }

        return r;
    }
}
