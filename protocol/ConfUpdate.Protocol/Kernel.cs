using System.Runtime.InteropServices;

namespace ConfUpdate.Protocol;

/// <summary>
/// Linux socket-option numbers this protocol depends on, named once. They are not portable
/// constants: the values below come from the kernel's <c>asm-generic/socket.h</c> and the
/// architectures that override it (<c>arch/powerpc/include/uapi/asm/socket.h</c>). .NET has no
/// managed name for them, so <see cref="System.Net.Sockets.Socket.GetRawSocketOption"/> takes raw numbers.
/// </summary>
internal static class Kernel
{
    /// <summary><c>SOL_SOCKET</c>: 1 on every Linux architecture .NET runs on (SPARC and MIPS, which differ, are not .NET targets).</summary>
    public const int SolSocket = 1;

    /// <summary>
    /// <c>SO_PEERCRED</c>: 17 in asm-generic (x86, x86-64, ARM, ARM64, RISC-V, LoongArch, s390x),
    /// but 21 on PowerPC, where 16..20 are taken by the <c>SO_RCVLOWAT</c>..<c>SO_PASSCRED</c> family.
    /// </summary>
    public static int SoPeerCred => RuntimeInformation.ProcessArchitecture == Architecture.Ppc64le ? 21 : 17;

    /// <summary><c>SO_PEERGROUPS</c> (Linux 4.13+): 59 on every architecture, PowerPC included.</summary>
    public const int SoPeerGroups = 59;

    /// <summary>
    /// Size of <c>struct ucred</c>: <c>{ pid_t pid; uid_t uid; gid_t gid; }</c>, three 32-bit fields
    /// on every Linux ABI (pid_t is a signed int, uid_t and gid_t unsigned ints), 12 bytes with no padding.
    /// The seed article unpacked it as three C longs (24 bytes on 64-bit), which is wrong.
    /// </summary>
    public const int UcredSize = 12;

    /// <summary>Size of one <c>gid_t</c> in the <c>SO_PEERGROUPS</c> array.</summary>
    public const int GidSize = 4;
}
