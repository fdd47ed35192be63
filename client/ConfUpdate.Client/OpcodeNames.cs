using ConfUpdate.Protocol;

namespace ConfUpdate.Client;

/// <summary>Operation names as the spec spells them, for messages.</summary>
internal static class OpcodeNames
{
    public static string Of(Opcode opcode) =>
        OpcodeInfo.WireName(opcode) ?? (opcode == Opcode.None ? "no request" : $"opcode 0x{(byte)opcode:x2}");
}
