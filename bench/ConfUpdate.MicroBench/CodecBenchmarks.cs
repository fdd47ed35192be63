using BenchmarkDotNet.Attributes;
using ConfUpdate.Protocol;

namespace ConfUpdate.MicroBench;

/// <summary>
/// Decoding a REPLACE of 1000 bytes and encoding its reply, against copying the same bytes (the decoder must
/// copy the content out of the receive buffer: that copy is its floor). A short job: the figures are for
/// comparing changes on one machine, not for publishing.
/// </summary>
[ShortRunJob]
[MemoryDiagnoser]
public class CodecBenchmarks
{
    private const int ContentSize = 1000;
    private readonly byte[] _replace = RequestCodec.Encode(new ReplaceRequest(7, "site", new byte[ContentSize]));
    private readonly byte[] _hello = RequestCodec.Encode(new HelloRequest(7));
    private readonly byte[] _copy = new byte[ContentSize];
    private readonly Reply _reply = new(Opcode.Replace, Status.Ok, 7, string.Empty, new byte[ProtocolLimits.VersionSize]);

    /// <summary>The floor: copy the content once.</summary>
    [Benchmark(Baseline = true)]
    public byte[] CopyContent()
    {
        _replace.AsSpan(_replace.Length - ContentSize).CopyTo(_copy);
        return _copy;
    }

    /// <summary>Decode the REPLACE datagram.</summary>
    [Benchmark]
    public Request? DecodeReplace()
    {
        _ = RequestCodec.TryDecode(_replace, out Request? request, out _);
        return request;
    }

    /// <summary>Decode a HELLO (header only).</summary>
    [Benchmark]
    public Request? DecodeHello()
    {
        _ = RequestCodec.TryDecode(_hello, out Request? request, out _);
        return request;
    }

    /// <summary>Encode the OK reply of a REPLACE (header plus the 32-byte version).</summary>
    [Benchmark]
    public byte[] EncodeReply() => ReplyCodec.Encode(_reply);
}
