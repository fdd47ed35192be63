using ConfUpdate.Harness.Running;

namespace ConfUpdate.Harness.Tests.Running;

/// <summary>A failure's stderr tail on the shared server leaves out the lines that name another scenario's target or directory.</summary>
public sealed class StderrAttributionTests
{
    [TestCase("audit event=request pid=7 uid=33 gid=33 op=REPLACE target=\"s12-site\" size=40 status=OK", false)]
    [TestCase("audit event=request pid=7 uid=33 gid=33 op=REPLACE target=\"s3-site\" size=40 status=OK", true)]
    [TestCase("audit event=request target=\"s120-site\" status=OK", true)]
    [TestCase("error: cannot write /tmp/confkit-run-0a1b2c/s12/targets/site.conf", false)]
    [TestCase("error: cannot write /tmp/confkit-run-0a1b2c/s7/targets/site.conf", true)]
    [TestCase("audit event=connect pid=7 uid=33 gid=33", false)]
    [TestCase("audit event=request target=\"sites-1\" status=OK", false)]
    [TestCase("2026-12-02T00:49:25Z info: listening on /tmp/confkit-run-0a1b2c/shared.sock", false)]
    public void NamesOtherScenario_ForScenarioS12(string line, bool other)
    {
        Assert.That(StderrAttribution.NamesOtherScenario(line, "s12"), Is.EqualTo(other));
    }
}
