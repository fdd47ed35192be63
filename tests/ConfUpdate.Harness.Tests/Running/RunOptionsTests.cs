using ConfUpdate.Harness.Environment;
using ConfUpdate.Harness.Running;

namespace ConfUpdate.Harness.Tests.Running;

public sealed class RunOptionsTests
{
    private static readonly RunOptions Options = new("server {config}", ["probe"], ["client"], UserSwitch.Detect(SwitchStrategy.None));

    [TestCase(1.0, 5000, 5000)]
    [TestCase(3.0, 5000, 15000)]
    [TestCase(1.5, 333, 500)]
    [TestCase(100.0, int.MaxValue, int.MaxValue)]
    public void ScaledTimeout_MultipliesByTheTimeScaleRoundingUp(double scale, int timeoutMs, int expected)
    {
        RunOptions options = Options with { TimeScale = scale };

        int scaled = options.ScaledTimeoutMs(timeoutMs);

        Assert.That(scaled, Is.EqualTo(expected));
    }

    [Test]
    public void TimeScale_DefaultsToOne()
    {
        Assert.That(Options.ScaledTimeoutMs(1234), Is.EqualTo(1234));
    }
}
