using ConfUpdate.Server.Targets;

namespace ConfUpdate.Server.Tests.Unit;

/// <summary>SPEC DUR-1 step 1: the temporary file's name.</summary>
public sealed class TempNameTests
{
    [Test]
    public void TempName_IsHiddenNamedAfterTargetAndEndsInTmp()
    {
        string name = TargetInstaller.TempName("site.conf");

        Assert.That(name, Does.Match(@"^\.site\.conf\.[0-9a-f]{16}\.tmp$"));
    }

    [Test]
    public void TempName_TwoCalls_Differ()
    {
        string first = TargetInstaller.TempName("a");
        string second = TargetInstaller.TempName("a");

        Assert.That(second, Is.Not.EqualTo(first));
    }

    [Test]
    public void TempName_LongFileName_StaysUnderNameMax()
    {
        string name = TargetInstaller.TempName(new string('x', 255));

        Assert.That(System.Text.Encoding.UTF8.GetByteCount(name), Is.LessThanOrEqualTo(255));
    }
}
