using System.Runtime.Versioning;
using ConfUpdate.Harness.Environment;

namespace ConfUpdate.Harness.Tests.Environment;

[SupportedOSPlatform("linux")]
public sealed class EnvironmentCheckTests
{
    private static readonly Dictionary<string, string> s_roles = new()
    {
        ["allowed"] = "www-data",
        ["denied"] = "nobody",
        ["group-member"] = "confkit-member",
        ["stranger"] = "confkit-stranger",
    };

    [Test]
    [CancelAfter(30_000)]
    public async Task VerifyAsync_TestAccounts_ResolveEveryRole(CancellationToken cancellationToken)
    {
        UserSwitch userSwitch = UserSwitch.Detect(SwitchStrategy.Auto);

        IReadOnlyDictionary<string, UnixAccount> accounts =
            await EnvironmentCheck.VerifyAsync(userSwitch, s_roles, ["/usr/bin/python3"], ["/etc/hostname"], cancellationToken);

        Assert.That(accounts.Keys, Is.EquivalentTo(s_roles.Keys));
        Assert.That(accounts["allowed"].Uid, Is.EqualTo(33u));
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task VerifyAsync_MissingAccountAndPrivateFile_ListsEveryProblemWithAdvice(CancellationToken cancellationToken)
    {
        UserSwitch userSwitch = UserSwitch.Detect(SwitchStrategy.Auto);
        string dir = Directory.CreateTempSubdirectory("confkit-private-").FullName; // 0700: other accounts cannot enter
        try
        {
            string privateExe = Path.Combine(dir, "server");
            await File.WriteAllTextAsync(privateExe, "#!/bin/sh\n", cancellationToken);
            File.SetUnixFileMode(privateExe, KitConfigFile.ParseMode("0755"));
            var roles = new Dictionary<string, string> { ["allowed"] = "www-data", ["ghost"] = "confkit-ghost" };

            var ex = await Assert.ThrowsAsync<KitEnvironmentException>(() =>
                EnvironmentCheck.VerifyAsync(userSwitch, roles, [privateExe], null, cancellationToken));

            Assert.That(ex!.Message, Does.Contain("confkit-ghost").And.Contain("setup-test-users.sh"));
            Assert.That(ex.Message, Does.Contain("www-data").And.Contain(privateExe).And.Contain("world-readable"));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
