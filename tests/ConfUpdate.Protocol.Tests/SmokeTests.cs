using ConfUpdate.Protocol;

namespace ConfUpdate.Protocol.Tests;

public class SmokeTests
{
    [Test]
    public void Hello_RoundTrips()
    {
        var bytes = RequestCodec.Encode(new HelloRequest(7));
        Assert.That(RequestCodec.TryDecode(bytes, out var request, out _), Is.True);
        Assert.That(request, Is.EqualTo(new HelloRequest(7)));
    }
}
