using CliWrap;
using CliWrap.Buffered;
using ConfUpdate.Harness.Environment;

namespace ConfUpdate.Harness.Tests.Environment;

// The machine runs the tests as root (run-tests.sh insists), so Auto resolves to setpriv.
public sealed class UserSwitchTests
{
    private UserSwitch _switch = null!;

    [SetUp]
    public void SetUp() => _switch = UserSwitch.Detect(SwitchStrategy.Auto);

    [Test]
    public void Detect_AutoAsRoot_ChoosesSetpriv()
    {
        Assert.That(UnixAccount.Current().Uid, Is.Zero, "run-tests.sh runs the suite as root");
        Assert.That(_switch.Strategy, Is.EqualTo(SwitchStrategy.Setpriv));
        Assert.That(_switch.ToolPath, Does.EndWith("/setpriv"));
    }

    [Test]
    [CancelAfter(15_000)]
    public async Task Wrap_OtherAccount_RunsWithThatUidAndGroups(CancellationToken cancellationToken)
    {
        UnixAccount member = UnixAccount.Lookup("confkit-member");

        BufferedCommandResult uid = await _switch.Wrap(member, "id", ["-u"]).ExecuteBufferedAsync(cancellationToken);
        BufferedCommandResult groups = await _switch.Wrap(member, "id", ["-G"]).ExecuteBufferedAsync(cancellationToken);

        Assert.That(uid.StandardOutput.Trim(), Is.EqualTo(member.Uid.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        Assert.That(groups.StandardOutput.Split(' ', StringSplitOptions.TrimEntries), Does.Contain(UnixAccountTests.GroupId("confkit-writers").ToString(System.Globalization.CultureInfo.InvariantCulture)));
    }

    [Test]
    [CancelAfter(15_000)]
    public async Task Wrap_OtherAccount_SetsHomeAndUser(CancellationToken cancellationToken)
    {
        UnixAccount www = UnixAccount.Lookup("www-data");

        BufferedCommandResult result = await _switch.Wrap(www, "/bin/sh", ["-c", "echo $USER:$HOME"]).ExecuteBufferedAsync(cancellationToken);

        Assert.That(result.StandardOutput.Trim(), Is.EqualTo($"www-data:{www.HomeDirectory}"));
    }

    [Test]
    [CancelAfter(15_000)]
    public async Task Wrap_NonZeroExit_IsReturnedNotThrown(CancellationToken cancellationToken)
    {
        UnixAccount nobody = UnixAccount.Lookup("nobody");

        BufferedCommandResult result = await _switch.Wrap(nobody, "/bin/sh", ["-c", "exit 11"]).ExecuteBufferedAsync(cancellationToken);

        Assert.That(result.ExitCode, Is.EqualTo(11));
    }

    [Test]
    public void Wrap_CurrentAccount_RunsDirectly()
    {
        Command command = _switch.Wrap(UnixAccount.Current(), "id", ["-u"]);

        Assert.That(command.TargetFilePath, Is.EqualTo("id"));
    }

    [Test]
    public void Describe_Setpriv_GivesShellCommandLine()
    {
        UnixAccount www = UnixAccount.Lookup("www-data");

        string line = _switch.Describe(www, "dotnet", ["/stage dir/confupdate.dll", "hello"]);

        Assert.That(line, Is.EqualTo("setpriv --reuid=33 --regid=33 --init-groups -- dotnet '/stage dir/confupdate.dll' hello"));
    }

    [Test]
    [CancelAfter(15_000)]
    public async Task Detect_Sudo_RunsAsAccountWithGroupsOrSaysHowToInstall(CancellationToken cancellationToken)
    {
        TryDetectSudo(out UserSwitch? sudo);
        if (sudo is null)
        {
            // sudo is not installed on this machine (CI installs it); Detect must then say what to do.
            var ex = Assert.Throws<KitEnvironmentException>(() => UserSwitch.Detect(SwitchStrategy.Sudo));
            Assert.That(ex!.Message, Does.Contain("apt-get install sudo"));
            return;
        }

        UnixAccount member = UnixAccount.Lookup("confkit-member");

        BufferedCommandResult uid = await sudo.Wrap(member, "id", ["-u"]).ExecuteBufferedAsync(cancellationToken);
        BufferedCommandResult groups = await sudo.Wrap(member, "id", ["-G"]).ExecuteBufferedAsync(cancellationToken);

        Assert.That(sudo.Describe(member, "id", ["-u"]), Is.EqualTo("sudo -n -u confkit-member -- id -u"));
        Assert.That(uid.StandardOutput.Trim(), Is.EqualTo(member.Uid.ToString(System.Globalization.CultureInfo.InvariantCulture)), uid.StandardError);
        Assert.That(groups.StandardOutput.Split(' ', StringSplitOptions.TrimEntries), Does.Contain(UnixAccountTests.GroupId("confkit-writers").ToString(System.Globalization.CultureInfo.InvariantCulture)));
    }

    [Test]
    [CancelAfter(15_000)]
    public async Task Wrap_CredentialsStrategy_RunsAsAccountWithGroupsAndItsEnvironment(CancellationToken cancellationToken)
    {
        UserSwitch credentials = UserSwitch.Detect(SwitchStrategy.Credentials);
        UnixAccount member = UnixAccount.Lookup("confkit-member");

        BufferedCommandResult result = await credentials.Wrap(member, "/bin/sh", ["-c", "id -u; id -G; echo $USER:$HOME"]).ExecuteBufferedAsync(cancellationToken);

        string[] lines = result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Multiple(() =>
        {
            Assert.That(credentials.ToolPath, Is.Null);
            Assert.That(lines[0], Is.EqualTo(member.Uid.ToString(System.Globalization.CultureInfo.InvariantCulture)), result.StandardError);
            Assert.That(lines[1].Split(' '), Does.Contain(UnixAccountTests.GroupId("confkit-writers").ToString(System.Globalization.CultureInfo.InvariantCulture)));
            Assert.That(lines[2], Is.EqualTo($"confkit-member:{member.HomeDirectory}"));
        });
    }

    [Test]
    public void Describe_Credentials_GivesTheSetprivEquivalent()
    {
        UserSwitch credentials = UserSwitch.Detect(SwitchStrategy.Credentials);

        string line = credentials.Describe(UnixAccount.Lookup("www-data"), "id", ["-u"]);

        Assert.That(line, Is.EqualTo("setpriv --reuid=33 --regid=33 --init-groups -- id -u"));
    }

    [Test]
    public void Wrap_NoneStrategyForOtherAccount_ThrowsSayingWhatToDo()
    {
        UserSwitch none = UserSwitch.Detect(SwitchStrategy.None);

        var ex = Assert.Throws<KitEnvironmentException>(() => none.Wrap(UnixAccount.Lookup("www-data"), "id", []));

        Assert.That(ex!.Message, Does.Contain("www-data").And.Contain("--switch"));
    }

    private static void TryDetectSudo(out UserSwitch? sudo)
    {
        try
        {
            sudo = UserSwitch.Detect(SwitchStrategy.Sudo);
        }
        catch (KitEnvironmentException)
        {
            sudo = null;
        }
    }
}
