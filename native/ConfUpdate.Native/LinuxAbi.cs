using System.Runtime.InteropServices;

namespace ConfUpdate.Native;

/// <summary>
/// Kernel and libc constants passed to raw system calls and socket options, named once for the whole
/// solution. Values are from the Linux UAPI headers (<c>asm-generic</c> and the architectures that override
/// it); where architectures differ the member says so and computes the value for the running one. .NET
/// targets are x86-64 and ARM64 (asm-generic values); 32-bit ARM and PowerPC use other bits, handled below.
/// </summary>
public static class LinuxAbi
{
    /// <summary><c>AF_UNIX</c>: 1 everywhere.</summary>
    public const int AfUnix = 1;

    /// <summary><c>SOCK_SEQPACKET</c>: 5 everywhere except MIPS (not a .NET target).</summary>
    public const int SockSeqPacket = 5;

    /// <summary><c>SOL_SOCKET</c>: 1 on every architecture .NET runs on.</summary>
    public const int SolSocket = 1;

    /// <summary><c>SO_TYPE</c>: 3 in asm-generic and on PowerPC (only SPARC/MIPS/Alpha/PA-RISC differ).</summary>
    public const int SoType = 3;

    /// <summary><c>SO_ACCEPTCONN</c>: 30 in asm-generic and on PowerPC; 1 when the socket is listening.</summary>
    public const int SoAcceptConn = 30;

    /// <summary><c>SO_DOMAIN</c> (Linux 2.6.32+): 39 in asm-generic and on PowerPC.</summary>
    public const int SoDomain = 39;

    /// <summary><c>F_SETFD</c> for <c>fcntl</c>: 2 everywhere.</summary>
    public const int FSetFd = 2;

    /// <summary><c>FD_CLOEXEC</c>: 1 everywhere.</summary>
    public const int FdCloexec = 1;

    /// <summary>The first descriptor systemd passes to a socket-activated service (<c>SD_LISTEN_FDS_START</c>).</summary>
    public const int ListenFdsStart = 3;

    /// <summary><c>O_RDONLY</c>.</summary>
    public const int ORdOnly = 0;

    /// <summary><c>O_WRONLY</c>.</summary>
    public const int OWrOnly = 1;

    /// <summary><c>O_CREAT</c>: 0100 octal on x86, ARM and PowerPC alike.</summary>
    public const int OCreat = 0x40;

    /// <summary><c>O_EXCL</c>: 0200 octal on x86, ARM and PowerPC alike.</summary>
    public const int OExcl = 0x80;

    /// <summary><c>O_NONBLOCK</c>: 04000 octal on x86, ARM and PowerPC; keeps open() of a FIFO from blocking (TGT-5).</summary>
    public const int ONonBlock = 0x800;

    /// <summary><c>O_CLOEXEC</c>: 02000000 octal on x86, ARM and PowerPC; no validator inherits our files (TRANS-4).</summary>
    public const int OCloexec = 0x80000;

    /// <summary>
    /// <c>O_DIRECTORY</c>: 0200000 octal in asm-generic (x86-64, ARM64, RISC-V) but 040000 on
    /// 32-bit ARM and PowerPC, where the O_DIRECT/O_LARGEFILE bits sit elsewhere.
    /// </summary>
    public static int ODirectory => UsesArmPowerPcOpenFlags ? 0x4000 : 0x10000;

    /// <summary><c>O_NOFOLLOW</c>: 0400000 octal in asm-generic but 0100000 on 32-bit ARM and PowerPC.</summary>
    public static int ONoFollow => UsesArmPowerPcOpenFlags ? 0x8000 : 0x20000;

    /// <summary>
    /// <c>O_PATH</c>: 010000000 octal on every architecture this server supports; a descriptor that only
    /// names a file (enough for <c>openat</c> below it), needing search but not read permission.
    /// </summary>
    public const int OPath = 0x200000;

    /// <summary><c>MSG_NOSIGNAL</c>: 0x4000 everywhere; a send to a closed peer fails with EPIPE instead of raising SIGPIPE.</summary>
    public const int MsgNoSignal = 0x4000;

    /// <summary><c>MSG_TRUNC</c>: 0x20 everywhere; recv returns the datagram's real length and drops what does not fit.</summary>
    public const int MsgTrunc = 0x20;

    /// <summary><c>MSG_DONTWAIT</c>: 0x40 everywhere.</summary>
    public const int MsgDontWait = 0x40;

    /// <summary><c>AT_FDCWD</c>: -100.</summary>
    public const int AtFdCwd = -100;

    /// <summary><c>AT_SYMLINK_NOFOLLOW</c>: examine a symbolic link itself (lstat semantics, TRANS-3, TGT-5).</summary>
    public const int AtSymlinkNoFollow = 0x100;

    /// <summary><c>AT_EMPTY_PATH</c>: statx on the descriptor itself (fstat semantics).</summary>
    public const int AtEmptyPath = 0x1000;

    /// <summary><c>STATX_BASIC_STATS</c>: type, mode, ids, inode, size, ... (include/uapi/linux/stat.h).</summary>
    public const uint StatxBasicStats = 0x7ff;

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

    /// <summary>Size of one <c>gid_t</c> in the <c>SO_PEERGROUPS</c> array: 32 bits on every Linux ABI.</summary>
    public const int GidSize = 4;

    /// <summary><c>SIGKILL</c>: 9 on every Linux architecture.</summary>
    public const int SigKill = 9;

    /// <summary><c>SIGTERM</c>: 15 on every Linux architecture.</summary>
    public const int SigTerm = 15;

    private static bool UsesArmPowerPcOpenFlags =>
        RuntimeInformation.ProcessArchitecture is Architecture.Arm or Architecture.Ppc64le;
}
