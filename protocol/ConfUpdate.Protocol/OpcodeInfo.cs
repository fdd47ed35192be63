namespace ConfUpdate.Protocol;

/// <summary>Facts about <see cref="Opcode"/> values, beside <see cref="StatusInfo"/>: the names the spec spells.</summary>
public static class OpcodeInfo
{
    /// <summary>The spec's name of a defined operation (HELLO, REPLACE, GET_VERSION); null for any other byte.</summary>
    public static string? WireName(Opcode opcode) => opcode switch
    {
        Opcode.Hello => "HELLO",
        Opcode.Replace => "REPLACE",
        Opcode.GetVersion => "GET_VERSION",
        _ => null,
    };

    /// <summary>Parses an operation name, case-insensitively (<c>hello</c>, <c>GET_VERSION</c>).</summary>
    public static bool TryParseWireName(string name, out Opcode opcode)
    {
        foreach (Opcode candidate in (Opcode[])[Opcode.Hello, Opcode.Replace, Opcode.GetVersion])
        {
            if (string.Equals(WireName(candidate), name, StringComparison.OrdinalIgnoreCase))
            {
                opcode = candidate;
                return true;
            }
        }

        opcode = Opcode.None;
        return false;
    }
}
