using System.Buffers.Binary;
using System.Net.Sockets;
using ConfUpdate.Native;

namespace ConfUpdate.Protocol;

/// <summary>
/// The identity of the process at the other end of a connected AF_UNIX socket, as the kernel
/// recorded it at <c>connect()</c> time (<c>SO_PEERCRED</c>, SPEC AUTH-1). Never taken from a payload.
/// </summary>
/// <param name="Pid">Process id of the peer (as seen from the reader's pid namespace).</param>
/// <param name="Uid">Effective user id of the peer at connect time.</param>
/// <param name="Gid">Effective group id of the peer at connect time.</param>
public readonly record struct PeerCredentials(int Pid, uint Uid, uint Gid)
{
    /// <summary>
    /// Reads <c>SO_PEERCRED</c> from a connected socket. Fails closed (SPEC AUTH-2, AUTH-4): any
    /// getsockopt error or an option length other than <c>sizeof(struct ucred)</c> throws.
    /// </summary>
    /// <exception cref="PeerCredentialsException">The kernel did not return a complete <c>struct ucred</c>.</exception>
    public static PeerCredentials Read(Socket socket)
    {
        ArgumentNullException.ThrowIfNull(socket);
        Span<byte> ucred = stackalloc byte[LinuxAbi.UcredSize];
        int length;
        try
        {
            length = socket.GetRawSocketOption(LinuxAbi.SolSocket, LinuxAbi.SoPeerCred, ucred);
        }
        catch (SocketException ex)
        {
            throw new PeerCredentialsException($"getsockopt(SO_PEERCRED) failed: {ex.SocketErrorCode} ({ex.Message}).", ex);
        }

        return Decode(ucred[..Math.Min(length, ucred.Length)], length);
    }

    /// <summary>
    /// Decodes a raw <c>struct ucred</c> in host byte order. <paramref name="reportedLength"/> is the
    /// option length the kernel returned; anything but 12 is rejected rather than guessed at.
    /// </summary>
    /// <exception cref="PeerCredentialsException">The length is not 12 bytes.</exception>
    public static PeerCredentials Decode(ReadOnlySpan<byte> ucred, int reportedLength)
    {
        if (reportedLength != LinuxAbi.UcredSize || ucred.Length != LinuxAbi.UcredSize)
        {
            throw new PeerCredentialsException(
                $"SO_PEERCRED returned {reportedLength} bytes; expected exactly {LinuxAbi.UcredSize} (struct ucred {{int32 pid; uint32 uid; uint32 gid}}).");
        }

        // Host byte order: struct ucred is a native struct, not a wire format.
        bool little = BitConverter.IsLittleEndian;
        int pid = little ? BinaryPrimitives.ReadInt32LittleEndian(ucred) : BinaryPrimitives.ReadInt32BigEndian(ucred);
        uint uid = little ? BinaryPrimitives.ReadUInt32LittleEndian(ucred[4..]) : BinaryPrimitives.ReadUInt32BigEndian(ucred[4..]);
        uint gid = little ? BinaryPrimitives.ReadUInt32LittleEndian(ucred[8..]) : BinaryPrimitives.ReadUInt32BigEndian(ucred[8..]);
        return new PeerCredentials(pid, uid, gid);
    }

    /// <summary>
    /// Reads the peer's supplementary groups with <c>SO_PEERGROUPS</c> (Linux 4.13+), as the kernel
    /// recorded them at connect time. Returns <c>null</c> when the kernel cannot tell (the caller then
    /// grants nothing through supplementary groups: SPEC AUTH-3 fails closed).
    /// </summary>
    public static IReadOnlyList<uint>? ReadSupplementaryGroups(Socket socket)
    {
        ArgumentNullException.ThrowIfNull(socket);
        // NGROUPS_MAX is 65536; start small and grow once on ERANGE-style short reads is overkill for
        // a once-per-connection call, so ask for the whole maximum in one go.
        var buffer = new byte[65536 * LinuxAbi.GidSize];
        int length;
        try
        {
            length = socket.GetRawSocketOption(LinuxAbi.SolSocket, LinuxAbi.SoPeerGroups, buffer);
        }
        catch (SocketException)
        {
            return null;
        }

        if (length < 0 || length % LinuxAbi.GidSize != 0)
        {
            return null;
        }

        var groups = new uint[length / LinuxAbi.GidSize];
        for (int i = 0; i < groups.Length; i++)
        {
            groups[i] = BitConverter.ToUInt32(buffer, i * LinuxAbi.GidSize);
        }

        return groups;
    }

    /// <inheritdoc />
    public override string ToString() => $"pid={Pid} uid={Uid} gid={Gid}";
}
