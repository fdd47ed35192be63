using ConfUpdate.Server.Configuration;

namespace ConfUpdate.Server.Tests.Unit;

/// <summary>SPEC AUTH-3 and AUTH-5, as pure decisions over kernel-reported ids.</summary>
public sealed class AccessPolicyTests
{
    private const uint WwwData = 33;
    private const uint Writers = 995;
    private const uint Root = 0;
    private const uint Overflow = 65534;

    [Test]
    public void IsAllowed_ListedUid_Admits()
    {
        var policy = new AccessPolicy([WwwData], []);

        Assert.That(policy.IsAllowed(WwwData, 1000, null), Is.True);
    }

    [Test]
    public void IsAllowed_UnlistedUidWithoutGroups_Denies()
    {
        var policy = new AccessPolicy([WwwData], [Writers]);

        Assert.That(policy.IsAllowed(1001, 1001, []), Is.False);
    }

    [Test]
    public void IsAllowed_PrimaryGidInAllowedGroup_Admits()
    {
        var policy = new AccessPolicy([], [Writers]);

        Assert.That(policy.IsAllowed(1001, Writers, null), Is.True);
    }

    [Test]
    public void IsAllowed_SupplementaryGroupInAllowedGroup_Admits()
    {
        var policy = new AccessPolicy([], [Writers]);

        Assert.That(policy.IsAllowed(999, 994, [994, Writers]), Is.True);
    }

    [Test]
    public void IsAllowed_SupplementaryGroupsUnavailable_GrantsNothingThroughThem()
    {
        var policy = new AccessPolicy([], [Writers]);

        Assert.That(policy.IsAllowed(999, 994, null), Is.False);
    }

    [Test]
    public void IsAllowed_RootThroughGroupMembership_Denies()
    {
        var policy = new AccessPolicy([], [Root, Writers]);

        Assert.That(policy.IsAllowed(Root, Root, [Writers]), Is.False);
    }

    [Test]
    public void IsAllowed_RootListedExplicitly_Admits()
    {
        var policy = new AccessPolicy([Root], []);

        Assert.That(policy.IsAllowed(Root, Root, null), Is.True);
    }

    [Test]
    public void IsAllowed_OverflowUidThroughGroupMembership_Denies()
    {
        var policy = new AccessPolicy([], [Writers]);

        Assert.That(policy.IsAllowed(Overflow, Writers, [Writers]), Is.False);
    }

    [Test]
    public void IsAllowed_OverflowUidListedExplicitly_Admits()
    {
        var policy = new AccessPolicy([Overflow], []);

        Assert.That(policy.IsAllowed(Overflow, Overflow, null), Is.True);
    }

    [Test]
    public void IsAllowed_OverflowGidConfiguredAsGroup_AdmitsNobody()
    {
        var policy = new AccessPolicy([], [Overflow]);

        Assert.Multiple(() =>
        {
            Assert.That(policy.IsAllowed(1001, Overflow, null), Is.False);
            Assert.That(policy.IsAllowed(1001, 1001, [Overflow]), Is.False);
            Assert.That(policy.AllowedGids, Is.Empty);
        });
    }

    [Test]
    public void GroupsCanAdmit_RootOverflowOrNoGroups_IsFalse()
    {
        var withGroups = new AccessPolicy([], [Writers]);
        var withoutGroups = new AccessPolicy([WwwData], []);

        Assert.Multiple(() =>
        {
            Assert.That(withGroups.GroupsCanAdmit(1001), Is.True);
            Assert.That(withGroups.GroupsCanAdmit(Root), Is.False);
            Assert.That(withGroups.GroupsCanAdmit(Overflow), Is.False);
            Assert.That(withoutGroups.GroupsCanAdmit(1001), Is.False);
        });
    }
}
