using ConfUpdate.Harness.Environment;

namespace ConfUpdate.Harness.Tests.Environment;

public sealed class UnixAccountTests
{
    [Test]
    public void Lookup_WwwData_ReturnsDebianIds()
    {
        UnixAccount account = UnixAccount.Lookup("www-data");

        Assert.Multiple(() =>
        {
            Assert.That(account.Name, Is.EqualTo("www-data"));
            Assert.That(account.Uid, Is.EqualTo(33u));
            Assert.That(account.Gid, Is.EqualTo(33u));
            Assert.That(account.SupplementaryGids, Does.Contain(33u));
        });
    }

    [Test]
    public void Lookup_GroupMember_IncludesSupplementaryGroup()
    {
        uint writers = GroupId("confkit-writers");

        UnixAccount member = UnixAccount.Lookup("confkit-member");

        Assert.That(member.SupplementaryGids, Does.Contain(writers).And.Contain(member.Gid));
    }

    [Test]
    public void Lookup_MissingAccount_ThrowsWithSetupHint()
    {
        var ex = Assert.Throws<KitEnvironmentException>(() => UnixAccount.Lookup("confkit-no-such-user"));

        Assert.That(ex!.Message, Does.Contain("confkit-no-such-user").And.Contain("setup-test-users.sh"));
    }

    [Test]
    public void Current_MatchesTheProcessUser()
    {
        UnixAccount current = UnixAccount.Current();

        Assert.That(current.Name, Is.EqualTo(System.Environment.UserName));
        Assert.That(UnixAccount.Lookup(current.Name).Uid, Is.EqualTo(current.Uid));
    }

    internal static uint GroupId(string name)
    {
        string line = File.ReadLines("/etc/group").Single(l => l.StartsWith(name + ":", StringComparison.Ordinal));
        return uint.Parse(line.Split(':')[2], System.Globalization.CultureInfo.InvariantCulture);
    }
}
