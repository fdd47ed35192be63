using ConfUpdate.Harness.Probe;
using ConfUpdate.Harness.Scenarios;
using ConfUpdate.Protocol;

namespace ConfUpdate.Harness.Running;

/// <summary>The kit's own HELLO to a server under test: the announced maximum and send buffer that size expressions use.</summary>
public sealed partial class ScenarioRunner
{
    private async Task<(SizeContext Sizes, HelloInfo? Hello)> ProbeSizesAsync(ProbeClient probe, string socketPath, CancellationToken cancellationToken)
    {
        const string Conn = "kit:hello";
        ProbeResponse connect = await probe.SendAsync(new ConnectCommand { Conn = Conn, Path = socketPath }, cancellationToken).ConfigureAwait(false);
        int max = ScenarioPreparation.DefaultMaxRequestSize;
        HelloInfo? hello = null;
        if (connect.Outcome != ProbeOutcome.Ok || connect.KitError is not null)
        {
            // No connection: the configured maximum stands, and the scenarios report what connecting does.
            return (new SizeContext(max, DefaultSendBuffer), hello);
        }

        try
        {
            byte[] request = RequestCodec.Encode(new HelloRequest(1));
            ProbeResponse reply = await probe.SendAsync(
                new ExchangeCommand { Conn = Conn, Datagrams = [new ProbeDatagram { Prefix = request }], TimeoutMs = _options.ScaledTimeoutMs(ScenarioStep.DefaultTimeoutMs) },
                cancellationToken).ConfigureAwait(false);
            if (reply.Received is [{ Truncated: false } item])
            {
                Reply decoded = ReplyCodec.Decode(item.Bytes);
                if (decoded.Status == Status.Ok)
                {
                    hello = HelloInfo.Decode(decoded.Body.Span);
                    max = (int)hello.MaxRequestSize;
                }
            }
        }
        catch (ProtocolException)
        {
            // Keep the configured maximum; the HELLO scenarios report the malformed reply.
        }

        await probe.SendAsync(new CloseCommand { Conn = Conn }, cancellationToken).ConfigureAwait(false);
        return (new SizeContext(max, connect.SendBuffer > 0 ? connect.SendBuffer : DefaultSendBuffer), hello);
    }
}
