using System.Diagnostics;
using System.Net.Sockets;
using System.Runtime.Versioning;
using ConfUpdate.Harness.Checks;
using ConfUpdate.Native;

namespace ConfUpdate.Harness.Tests.Checks;

/// <summary>FileFacts reads statx in process; it must say what <c>stat -c</c> said, since checks compare its words.</summary>
[SupportedOSPlatform("linux")]
public sealed class FileFactsTests
{
    private string _dir = "";

    [SetUp]
    public void SetUp() => _dir = Directory.CreateTempSubdirectory("confkit-filestatus-").FullName;

    [TearDown]
    public void TearDown() => Directory.Delete(_dir, recursive: true);

    [Test]
    [CancelAfter(30_000)]
    public void Of_EveryKindOfFile_MatchesGnuStat()
    {
        string regular = Path.Combine(_dir, "regular");
        File.WriteAllText(regular, "content\n");
        File.SetUnixFileMode(regular, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead);
        string empty = Path.Combine(_dir, "empty");
        File.WriteAllBytes(empty, []);
        string strangers = Path.Combine(_dir, "unknown-owner");
        File.WriteAllText(strangers, "x");
        File.SetUnixFileMode(strangers, (UnixFileMode)Convert.ToInt32("4755", 8));
        Assert.That(Libc.LChown(strangers, 4242, 4243), Is.Zero);
        string link = Path.Combine(_dir, "link");
        File.CreateSymbolicLink(link, regular);
        string dangling = Path.Combine(_dir, "dangling");
        File.CreateSymbolicLink(dangling, Path.Combine(_dir, "nowhere"));
        string socketPath = Path.Combine(_dir, "s.sock");
        using var socket = new Socket(AddressFamily.Unix, SocketType.Seqpacket, ProtocolType.Unspecified);
        socket.Bind(new UnixDomainSocketEndPoint(socketPath));
        string fifo = Path.Combine(_dir, "fifo");
        Assert.That(Libc.MkFifo(fifo, Convert.ToUInt32("600", 8)), Is.Zero);

        foreach (string path in new[] { regular, empty, strangers, link, dangling, socketPath, fifo, _dir, "/dev/null" })
        {
            FileFacts? status = FileFacts.Of(path);

            Assert.That(status, Is.Not.Null, path);
            Assert.That($"{status!.Type}|{status.Uid}|{status.Gid}|{status.Owner}|{status.Group}|{status.Mode}", Is.EqualTo(GnuStat(path)), path);
        }
    }

    [Test]
    public void Of_MissingPath_IsNull()
    {
        Assert.That(FileFacts.Of(Path.Combine(_dir, "missing")), Is.Null);
    }

    private static string GnuStat(string path)
    {
        var info = new ProcessStartInfo("stat", ["-c", "%F|%u|%g|%U|%G|%a", "--", path]) { RedirectStandardOutput = true };
        using Process process = Process.Start(info)!;
        string output = process.StandardOutput.ReadToEnd().Trim();
        process.WaitForExit();
        return output;
    }
}
