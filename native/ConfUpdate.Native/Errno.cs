using System.Net.Sockets;

namespace ConfUpdate.Native;

/// <summary>
/// errno numbers the solution tests for, and the Linux names scenarios compare. The numbers below are the
/// same on x86, ARM and PowerPC (asm-generic/errno-base.h and errno.h); MIPS, SPARC and Alpha differ and are
/// not .NET targets.
/// </summary>
public static class Errno
{
    /// <summary><c>EPERM</c>: 1.</summary>
    public const int EPerm = 1;

    /// <summary><c>ENOENT</c>: 2.</summary>
    public const int ENoEnt = 2;

    /// <summary><c>ESRCH</c>: 3; no such process (already gone).</summary>
    public const int ESrch = 3;

    /// <summary><c>EINTR</c>: 4.</summary>
    public const int EIntr = 4;

    /// <summary><c>EBADF</c>: 9.</summary>
    public const int EBadF = 9;

    /// <summary><c>ENOTDIR</c>: 20; <c>O_DIRECTORY</c> met something that is not a directory.</summary>
    public const int ENotDir = 20;

    /// <summary><c>ELOOP</c>: 40; <c>O_NOFOLLOW</c> met a symbolic link.</summary>
    public const int ELoop = 40;

    /// <summary><c>ERANGE</c>: 34; the buffer given to a <c>get*_r</c> lookup is too small.</summary>
    public const int ERange = 34;

    /// <summary><c>ECONNREFUSED</c>: 111; a socket file with nobody listening (SPEC TRANS-3).</summary>
    public const int EConnRefused = 111;

    /// <summary>
    /// The Linux errno name of a socket error. .NET maps errnos to portable <see cref="SocketError"/> values;
    /// this turns them back, so a scenario can say <c>ECONNREFUSED</c> and mean what the kernel said.
    /// </summary>
    public static string NameOf(SocketException exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return exception.SocketErrorCode switch
        {
            // .NET maps ENOENT on a Unix-socket connect to AddressNotAvailable.
            SocketError.AddressNotAvailable => "ENOENT",
            SocketError.AccessDenied => "EACCES",
            SocketError.ConnectionRefused => "ECONNREFUSED",
            SocketError.ProtocolType => "EPROTOTYPE",
            SocketError.ConnectionReset => "ECONNRESET",
            // EPIPE surfaces as Shutdown (.NET ignores SIGPIPE).
            SocketError.Shutdown => "EPIPE",
            SocketError.MessageSize => "EMSGSIZE",
            SocketError.NoBufferSpaceAvailable => "ENOBUFS",
            SocketError.NotConnected => "ENOTCONN",
            SocketError.TimedOut => "ETIMEDOUT",
            SocketError.WouldBlock => "EAGAIN",
            SocketError.ConnectionAborted => "ECONNABORTED",
            SocketError.InvalidArgument => "EINVAL",
            SocketError.AddressFamilyNotSupported => "EAFNOSUPPORT",
            SocketError.SocketNotSupported => "ESOCKTNOSUPPORT",
            SocketError.OperationNotSupported => "EOPNOTSUPP",
            _ => exception.SocketErrorCode.ToString().ToUpperInvariant(),
        };
    }
}
