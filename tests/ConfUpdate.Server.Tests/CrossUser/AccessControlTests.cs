using System.Runtime.Versioning;
using System.Text;
using System.Text.Json;
using CliWrap.Buffered;
using ConfUpdate.Harness.Environment;

namespace ConfUpdate.Server.Tests.CrossUser;

/// <summary>Who may update: the peer's kernel credentials decide (SPEC AUTH-3, AUTH-5, AUTH-6, TGT-3, OP-2).</summary>
[SupportedOSPlatform("linux")]
public sealed class AccessControlTests : CrossUserTestBase
{
    private const int ExitForbidden = 11;

    [Test]
    [CancelAfter(60_000)]
    public async Task Update_FromAllowedUser_LandsWithConfiguredOwnerModeAndVersion(CancellationToken cancellationToken)
    {
        SeedSite();
        await StartServerAsync(DefaultConfig(), cancellationToken);
        byte[] content = Encoding.UTF8.GetBytes("listen 8080;\nserver_name example.org;\n\0binary-safe\n");

        BufferedCommandResult result = await RunCliAsync(WwwData, cancellationToken, "update", "site", "--file", WriteInputFile(content));

        Assert.That(result.ExitCode, Is.Zero, Describe(result));
        JsonElement json = Json(result);
        (uint uid, uint gid, string mode) = await StatAsync(SitePath, cancellationToken);
        Assert.Multiple(() =>
        {
            Assert.That(json.GetProperty("version").GetString(), Is.EqualTo(Sha256Hex(content)), "reply version = SHA-256 of the content (OP-2)");
            Assert.That(File.ReadAllBytes(SitePath), Is.EqualTo(content));
            Assert.That(uid, Is.EqualTo(Root.Uid), "configured owner root (TGT-3)");
            Assert.That(gid, Is.EqualTo(WwwData.Gid), "configured group www-data (TGT-3)");
            Assert.That(mode, Is.EqualTo("0640"), "configured mode, whatever it was before (TGT-3)");
            Assert.That(TempFilesInTargetDir(), Is.Empty, "no temp file left (DUR-2)");
        });
    }

    [TestCase("nobody")]
    [TestCase("confkit-stranger")]
    [CancelAfter(60_000)]
    public async Task Update_FromDeniedUser_IsForbiddenAndLeavesTargetUntouched(string accountName, CancellationToken cancellationToken)
    {
        byte[] original = SeedSite();
        await StartServerAsync(DefaultConfig(), cancellationToken);
        UnixAccount denied = UnixAccount.Lookup(accountName);

        BufferedCommandResult result = await RunCliAsync(denied, cancellationToken, "update", "site", "--file", WriteInputFile("evil\n"u8.ToArray()));

        Assert.That(result.ExitCode, Is.EqualTo(ExitForbidden), Describe(result));
        Assert.That(Json(result).GetProperty("status").GetString(), Is.EqualTo("FORBIDDEN"));
        Assert.That(File.ReadAllBytes(SitePath), Is.EqualTo(original), "target byte-identical");
        Assert.That(TempFilesInTargetDir(), Is.Empty);
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task Update_FromGroupMember_IsAllowedThroughSupplementaryGroup(CancellationToken cancellationToken)
    {
        Assert.That(Member.Gid, Is.Not.EqualTo(UnixAccountGid("confkit-writers")), "precondition: the group is supplementary, not primary");
        SeedSite();
        await StartServerAsync(DefaultConfig(groups: ["confkit-writers"]), cancellationToken);
        byte[] content = "from the group member\n"u8.ToArray();

        BufferedCommandResult result = await RunCliAsync(Member, cancellationToken, "update", "site", "--file", WriteInputFile(content));

        Assert.That(result.ExitCode, Is.Zero, Describe(result));
        Assert.That(File.ReadAllBytes(SitePath), Is.EqualTo(content));
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task Update_FromGroupMember_IsForbiddenWhenGroupNotListed(CancellationToken cancellationToken)
    {
        byte[] original = SeedSite();
        await StartServerAsync(DefaultConfig(groups: []), cancellationToken);

        BufferedCommandResult result = await RunCliAsync(Member, cancellationToken, "update", "site", "--file", WriteInputFile("x\n"u8.ToArray()));

        Assert.That(result.ExitCode, Is.EqualTo(ExitForbidden), Describe(result));
        Assert.That(File.ReadAllBytes(SitePath), Is.EqualTo(original));
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task Update_FromRootNotListed_IsForbidden(CancellationToken cancellationToken)
    {
        byte[] original = SeedSite();
        await StartServerAsync(DefaultConfig(), cancellationToken);

        // Root is the kit's own identity: UserSwitch runs it directly, and the kernel still reports uid 0 (AUTH-5).
        BufferedCommandResult result = await RunCliAsync(Root, cancellationToken, "update", "site", "--file", WriteInputFile("root\n"u8.ToArray()));

        Assert.That(result.ExitCode, Is.EqualTo(ExitForbidden), Describe(result));
        Assert.That(File.ReadAllBytes(SitePath), Is.EqualTo(original));
    }

    private static uint UnixAccountGid(string group)
    {
        string line = File.ReadLines("/etc/group").Single(l => l.StartsWith(group + ":", StringComparison.Ordinal));
        return uint.Parse(line.Split(':')[2], System.Globalization.CultureInfo.InvariantCulture);
    }
}
