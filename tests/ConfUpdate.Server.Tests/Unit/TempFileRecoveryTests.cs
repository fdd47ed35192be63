using System.Runtime.Versioning;
using ConfUpdate.Server.Audit;
using ConfUpdate.Server.Configuration;
using ConfUpdate.Server.Targets;

namespace ConfUpdate.Server.Tests.Unit;

/// <summary>SPEC DUR-6 (recovery of leftover temporary files) and TGT-6 (the target's directory), on real files.</summary>
[SupportedOSPlatform("linux")]
public sealed class TempFileRecoveryTests
{
    private const string Random16 = "0123456789abcdef";
    private string _dir = "";
    private string _outside = "";

    [SetUp]
    public void CreateDirectories()
    {
        _dir = Directory.CreateTempSubdirectory("confupdate-recovery-").FullName;
        _outside = Directory.CreateTempSubdirectory("confupdate-outside-").FullName;
    }

    [TearDown]
    public void RemoveDirectories()
    {
        Directory.Delete(_dir, recursive: true);
        Directory.Delete(_outside, recursive: true);
    }

    [Test]
    public void Run_LeftoversAndLookAlikes_RemovesOnlyRegularFilesWithATargetsTempName()
    {
        string leftover = Path.Combine(_dir, $".site.conf.{Random16}.tmp");
        File.WriteAllText(leftover, "a whole candidate");
        string victim = Path.Combine(_outside, "victim");
        File.WriteAllText(victim, "must stay");
        File.CreateSymbolicLink(Path.Combine(_dir, ".site.conf.fedcba9876543210.tmp"), victim);
        Directory.CreateDirectory(Path.Combine(_dir, ".site.conf.aaaaaaaaaaaaaaaa.tmp"));
        string[] otherNames = [".site.conf.0123.tmp", $".site.conf.{Random16.ToUpperInvariant()}.tmp", $".other.{Random16}.tmp", $"site.conf.{Random16}.tmp", "site.conf"];
        foreach (string name in otherNames)
        {
            File.WriteAllText(Path.Combine(_dir, name), "not ours");
        }

        int removed = TempFileRecovery.Run([Target("site", "site.conf")], 0, new AuditLog(new AuditSink(Stream.Null, journal: false)), (_, problem) => Assert.Fail(problem));

        Assert.Multiple(() =>
        {
            Assert.That(removed, Is.EqualTo(1));
            Assert.That(File.Exists(leftover), Is.False);
            Assert.That(File.ReadAllText(victim), Is.EqualTo("must stay"));
            Assert.That(new FileInfo(Path.Combine(_dir, ".site.conf.fedcba9876543210.tmp")).LinkTarget, Is.EqualTo(victim));
            Assert.That(Directory.Exists(Path.Combine(_dir, ".site.conf.aaaaaaaaaaaaaaaa.tmp")), Is.True);
            Assert.That(otherNames.Where(n => !File.Exists(Path.Combine(_dir, n))), Is.Empty);
        });
    }

    [TestCase(".site.conf.0123456789abcdef.tmp", "site.conf", true)]
    [TestCase(".site.conf.0123456789abcde.tmp", "site.conf", false)]
    [TestCase(".site.conf.0123456789abcdefa.tmp", "site.conf", false)]
    [TestCase(".site.conf.0123456789abcdeg.tmp", "site.conf", false)]
    [TestCase(".site.0123456789abcdef.tmp", "site.conf", false)]
    [TestCase(".a.b.0123456789abcdef.tmp", "a", false)]
    [TestCase(".a.b.0123456789abcdef.tmp", "a.b", true)]
    public void OwnerOf_Name_MatchesExactlyTheDur6Form(string entry, string fileName, bool ours)
    {
        TargetConfig? owner = TempFileRecovery.OwnerOf(entry, [Target("t", fileName)]);

        Assert.That(owner is not null, Is.EqualTo(ours));
    }

    [Test]
    public void OwnerOf_LongFileName_MatchesItsShortenedStem()
    {
        string fileName = new('x', 250);
        string name = TargetInstaller.TempName(fileName);

        Assert.That(TempFileRecovery.OwnerOf(name, [Target("t", fileName)]), Is.Not.Null);
    }

    [Test]
    public void OpenDirectory_ThroughASymbolicLinkComponent_IsUnsafe()
    {
        string link = Path.Combine(_dir, "link");
        File.CreateSymbolicLink(link, _outside);

        Assert.Throws<UnsafeTargetException>(() => TargetDirectory.Open(Path.Combine(link), 0).Dispose());
        Assert.Throws<UnsafeTargetException>(() => TargetDirectory.Open(Path.Combine(link, "."), 0).Dispose());
    }

    [Test]
    public void OpenDirectory_GroupWritable_IsUnsafe()
    {
        File.SetUnixFileMode(_dir, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute);

        Assert.Throws<UnsafeTargetException>(() => TargetDirectory.Open(_dir, 0).Dispose());
    }

    [Test]
    public void OpenDirectory_PlainRootOwnedDirectory_Opens()
    {
        using TargetDirectory directory = TargetDirectory.Open(_dir, 0);

        Assert.That(directory.Descriptor, Is.GreaterThan(2));
    }

    private TargetConfig Target(string name, string fileName) =>
        new(name, Path.Combine(_dir, fileName), 0, 0, UnixFileMode.UserRead | UnixFileMode.UserWrite, 1000, null);
}
