using ConfUpdate.Server.Connections;

namespace ConfUpdate.Server.Tests.Unit;

/// <summary>SPEC CONN-3 caps.</summary>
public sealed class ConnectionLimiterTests
{
    [Test]
    public void TryAcquire_OverPerUidCap_RefusesOnlyThatUid()
    {
        var limiter = new ConnectionLimiter(maxTotal: 10, maxPerUid: 2);
        limiter.TryAcquire(33, out _);
        limiter.TryAcquire(33, out _);

        bool third = limiter.TryAcquire(33, out string reason);
        bool other = limiter.TryAcquire(999, out _);

        Assert.Multiple(() =>
        {
            Assert.That(third, Is.False);
            Assert.That(reason, Does.Contain("per-uid"));
            Assert.That(other, Is.True);
        });
    }

    [Test]
    public void TryAcquire_OverTotalCap_Refuses()
    {
        var limiter = new ConnectionLimiter(maxTotal: 2, maxPerUid: 5);
        limiter.TryAcquire(1, out _);
        limiter.TryAcquire(2, out _);

        bool ok = limiter.TryAcquire(3, out string reason);

        Assert.Multiple(() =>
        {
            Assert.That(ok, Is.False);
            Assert.That(reason, Does.Contain("total"));
        });
    }

    [Test]
    public void Release_FreesThePlace()
    {
        var limiter = new ConnectionLimiter(maxTotal: 1, maxPerUid: 1);
        limiter.TryAcquire(33, out _);

        limiter.Release(33);

        Assert.Multiple(() =>
        {
            Assert.That(limiter.Total, Is.Zero);
            Assert.That(limiter.TryAcquire(33, out _), Is.True);
        });
    }
}
