using System.Runtime.Versioning;
using CliWrap.Buffered;
using ConfUpdate.Harness.Environment;

namespace ConfUpdate.Harness.Tests.Environment;

[SupportedOSPlatform("linux")]
public sealed class StagingDirectoryTests
{
    private string _source = null!;

    [SetUp]
    public void SetUp()
    {
        // A private (0700) source, like a checkout under /root.
        _source = Directory.CreateTempSubdirectory("confkit-src-").FullName;
        Directory.CreateDirectory(Path.Combine(_source, "sub"));
        File.WriteAllText(Path.Combine(_source, "app.dll"), "dll");
        File.WriteAllText(Path.Combine(_source, "sub", "data.json"), "{}");
        File.WriteAllText(Path.Combine(_source, "apphost"), "#!/bin/sh\necho staged-ok\n");
        File.SetUnixFileMode(Path.Combine(_source, "apphost"), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        File.SetUnixFileMode(Path.Combine(_source, "app.dll"), UnixFileMode.UserRead | UnixFileMode.UserWrite);
    }

    [TearDown]
    public void TearDown() => Directory.Delete(_source, recursive: true);

    [Test]
    public void Stage_CopiesTreeWithWorldReadableModes()
    {
        using var staging = new StagingDirectory();

        string staged = staging.Stage(_source, "app");

        Assert.Multiple(() =>
        {
            Assert.That(File.GetUnixFileMode(staging.Path), Is.EqualTo(Mode("0755")));
            Assert.That(File.GetUnixFileMode(staged), Is.EqualTo(Mode("0755")));
            Assert.That(File.GetUnixFileMode(Path.Combine(staged, "sub")), Is.EqualTo(Mode("0755")));
            Assert.That(File.GetUnixFileMode(Path.Combine(staged, "app.dll")), Is.EqualTo(Mode("0644")));
            Assert.That(File.GetUnixFileMode(Path.Combine(staged, "sub", "data.json")), Is.EqualTo(Mode("0644")));
            Assert.That(File.GetUnixFileMode(Path.Combine(staged, "apphost")), Is.EqualTo(Mode("0755")));
        });
    }

    [Test]
    [CancelAfter(15_000)]
    public async Task Stage_OtherAccountCanRunStagedExecutable(CancellationToken cancellationToken)
    {
        using var staging = new StagingDirectory();
        string staged = staging.Stage(_source, "app");
        UserSwitch userSwitch = UserSwitch.Detect(SwitchStrategy.Auto);

        BufferedCommandResult result = await userSwitch
            .Wrap(UnixAccount.Lookup("nobody"), Path.Combine(staged, "apphost"), [])
            .ExecuteBufferedAsync(cancellationToken);

        Assert.That(result.StandardOutput.Trim(), Is.EqualTo("staged-ok"), result.StandardError);
    }

    [Test]
    public void Dispose_DeletesTheDirectory()
    {
        var staging = new StagingDirectory();
        staging.Stage(_source, "app");

        staging.Dispose();

        Assert.That(Directory.Exists(staging.Path), Is.False);
    }

    [Test]
    public void Stage_MissingSource_SaysBuildFirst()
    {
        using var staging = new StagingDirectory();

        var ex = Assert.Throws<DirectoryNotFoundException>(() => staging.Stage("/nonexistent/bin/Release", "x"));

        Assert.That(ex!.Message, Does.Contain("build"));
    }

    private static UnixFileMode Mode(string octal) => KitConfigFile.ParseMode(octal);
}
