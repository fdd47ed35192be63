using ConfUpdate.Protocol;

namespace ConfUpdate.Client;

/// <summary>Operation names as the spec spells them, for messages.</summary>
internal static class OpcodeNames
{
    public static string Of(Opcode opcode) => opcode switch
    {
        Opcode.Hello => "HELLO",
        Opcode.Replace => "REPLACE",
        Opcode.GetVersion => "GET_VERSION",
        Opcode.None => "no request",
        _ => $"opcode 0x{(byte)opcode:x2}",
    };
}
