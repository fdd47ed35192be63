using System.Runtime.InteropServices;

namespace ConfUpdate.Protocol.Tests;

/// <summary>
/// Decoding <c>struct ucred</c>: exactly 12 bytes of three 32-bit host-order fields, anything else
/// refused (SPEC AUTH-2, AUTH-4). The seed article's three C longs would be 24 bytes.
/// </summary>
public class PeerCredentialsDecodeTests
{
    private static byte[] Ucred(int pid, uint uid, uint gid)
    {
        // Host byte order, as the kernel writes it.
        byte[] bytes = new byte[12];
        MemoryMarshal.Write(bytes.AsSpan(0), in pid);
        MemoryMarshal.Write(bytes.AsSpan(4), in uid);
        MemoryMarshal.Write(bytes.AsSpan(8), in gid);
        return bytes;
    }

    [TestCase(0)]
    [TestCase(4)]
    [TestCase(11)]
    [TestCase(13)]
    [TestCase(16)]
    [TestCase(24)]
    public void Decode_LengthOtherThan12_ThrowsNamingBothLengths(int length)
    {
        byte[] ucred = new byte[length];

        var ex = Assert.Throws<PeerCredentialsException>(() => PeerCredentials.Decode(ucred, length));

        Assert.That(ex.Message, Does.Contain($"returned {length} bytes").And.Contain("12"));
    }

    [TestCase(-1)]
    [TestCase(0)]
    [TestCase(24)]
    public void Decode_ReportedLengthDisagreeingWith12ByteBuffer_Throws(int reportedLength)
    {
        // Read() hands over the 12-byte buffer with the length getsockopt reported; a kernel that
        // claimed a longer (or shorter) struct must not be trusted for the first 12 bytes.
        byte[] ucred = Ucred(1, 2, 3);

        Assert.Throws<PeerCredentialsException>(() => PeerCredentials.Decode(ucred, reportedLength));
    }

    [Test]
    public void Decode_TwelveBytes_GivesPidUidGid()
    {
        byte[] ucred = Ucred(12345, 33, 44);

        PeerCredentials credentials = PeerCredentials.Decode(ucred, 12);

        Assert.That(credentials, Is.EqualTo(new PeerCredentials(12345, 33, 44)));
    }

    [TestCase(1, 4294967294u, 4294967295u)]
    [TestCase(int.MaxValue, 2147483648u, 65534u)]
    [TestCase(0, 0u, 0u)]
    public void Decode_IdsAboveIntMaxValue_StayUnsigned(int pid, uint uid, uint gid)
    {
        PeerCredentials credentials = PeerCredentials.Decode(Ucred(pid, uid, gid), 12);

        Assert.Multiple(() =>
        {
            Assert.That(credentials.Pid, Is.EqualTo(pid));
            Assert.That(credentials.Uid, Is.EqualTo(uid));
            Assert.That(credentials.Gid, Is.EqualTo(gid));
        });
    }

    [Test]
    public void Decode_IsHostByteOrderNotBigEndian()
    {
        // pid 1 would read as 16777216 if the struct were decoded as a big-endian wire format.
        PeerCredentials credentials = PeerCredentials.Decode(Ucred(1, 33, 33), 12);

        Assert.That(credentials.Pid, Is.EqualTo(1));
    }

    [Test]
    public void ToString_NamesAllThreeFields() =>
        Assert.That(new PeerCredentials(7, 4294967294, 33).ToString(), Is.EqualTo("pid=7 uid=4294967294 gid=33"));

    [Test]
    public void Read_NullSocket_ThrowsArgumentNull() =>
        Assert.Throws<ArgumentNullException>(() => PeerCredentials.Read(null!));

    [Test]
    public void ReadSupplementaryGroups_NullSocket_ThrowsArgumentNull() =>
        Assert.Throws<ArgumentNullException>(() => PeerCredentials.ReadSupplementaryGroups(null!));
}
