using System.Security.Cryptography;
using BenchmarkDotNet.Attributes;
using ConfUpdate.Protocol;

namespace ConfUpdate.MicroBench;

/// <summary>
/// The content version (SHA-256, SPEC OP-3) of 1000 bytes and of 64 KiB, against SHA256.HashData itself:
/// ContentVersion may only add its wrapper.
/// </summary>
[ShortRunJob]
[MemoryDiagnoser]
public class HashBenchmarks
{
    private byte[] _content = [];

    /// <summary>Content sizes: a typical configuration file and the default maximum request size.</summary>
    [Params(1000, 65536)]
    public int Size { get; set; }

    /// <summary>Fills the content.</summary>
    [GlobalSetup]
    public void Setup() => _content = [.. Enumerable.Range(0, Size).Select(i => (byte)i)];

    /// <summary>The floor: the hash alone.</summary>
    [Benchmark(Baseline = true)]
    public byte[] Sha256() => SHA256.HashData(_content);

    /// <summary>The protocol's content version.</summary>
    [Benchmark]
    public ContentVersion Version() => ContentVersion.Of(_content);
}
