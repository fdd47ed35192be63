using System.Runtime.Versioning;
using CliWrap;
using CliWrap.Buffered;
using ConfUpdate.Server.Tests.CrossUser;

namespace ConfUpdate.Server.Tests.Deploy;

/// <summary>
/// The shipped systemd units parse as systemd reads them. No systemd runs as PID 1 here, so the units are
/// checked offline with <c>systemd-analyze verify</c>, which reports unknown keys, bad values and sections.
/// </summary>
[SupportedOSPlatform("linux")]
public sealed class SystemdUnitTests
{
    private static readonly string[] Units = ["confupdate.socket", "confupdate.service"];

    private string _dir = null!;

    /// <summary>Where the units expect the self-contained server (the Debian package installs it there).</summary>
    private const string InstalledServer = "/usr/lib/confupdate/confupdate-server";

    [SetUp]
    public void CopyUnits()
    {
        // verify wants the unit files side by side under their own names (the .service names the .socket).
        _dir = Directory.CreateTempSubdirectory("confupdate-units-").FullName;
        foreach (string unit in Units)
        {
            File.Copy(Path.Combine(TestPaths.RepoRoot, "deploy", unit), Path.Combine(_dir, unit));
        }

        // verify also checks that ExecStart= names an executable, and the server is not installed here: point
        // the copy at a stand-in. The installed units are verified unchanged by tests/distribution/deb.sh.
        string service = Path.Combine(_dir, "confupdate.service");
        string text = File.ReadAllText(service);
        Assert.That(text, Does.Contain("ExecStart=" + InstalledServer + " "), "the service no longer starts " + InstalledServer);
        string standIn = Path.Combine(_dir, "confupdate-server");
        File.WriteAllText(standIn, "#!/bin/sh\n");
        File.SetUnixFileMode(standIn, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        File.WriteAllText(service, text.Replace("ExecStart=" + InstalledServer + " ", "ExecStart=" + standIn + " ", StringComparison.Ordinal));
    }

    [TearDown]
    public void DeleteUnits() => Directory.Delete(_dir, recursive: true);

    [Test]
    [CancelAfter(60_000)]
    public async Task DeployUnits_PassSystemdAnalyzeVerifyWithoutWarnings(CancellationToken cancellationToken)
    {
        string analyze = new[] { "/usr/bin/systemd-analyze", "/bin/systemd-analyze" }.FirstOrDefault(File.Exists)
            ?? throw new AssertionException("systemd-analyze is missing: apt-get install systemd");

        BufferedCommandResult result = await Cli.Wrap(analyze)
            .WithArguments(["verify", "--man=no", .. Units.Select(u => Path.Combine(_dir, u))])
            .WithValidation(CommandResultValidation.None)
            .ExecuteBufferedAsync(cancellationToken);

        string output = (result.StandardOutput + result.StandardError).Trim();
        Assert.Multiple(() =>
        {
            Assert.That(result.ExitCode, Is.Zero, output);
            Assert.That(output, Is.Empty, "systemd-analyze verify reported problems");
        });
    }
}
