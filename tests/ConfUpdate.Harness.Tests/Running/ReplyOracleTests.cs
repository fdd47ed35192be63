using ConfUpdate.Harness.Stress;
using ConfUpdate.Protocol;

namespace ConfUpdate.Harness.Tests.Running;

/// <summary>The fuzz check's SPEC oracle, as a table of (request, reply, verdict) cases.</summary>
[TestFixture]
public sealed class ReplyOracleTests
{
    private const int M = 65536;
    private const string Target = "stress";

    private static IEnumerable<TestCaseData> Cases()
    {
        byte[] hello = RequestCodec.Encode(new HelloRequest(5));
        byte[] helloBody = new HelloInfo(1, M, "s", "1").Encode();
        yield return Case("HELLO answered OK with its body", hello, Reply(0x81, Status.Ok, 5, helloBody), null);
        yield return Case("HELLO with the wrong id", hello, Reply(0x81, Status.Ok, 6, helloBody), "FRAME-3");
        yield return Case("HELLO with a truncated body", hello, Reply(0x81, Status.Ok, 5, helloBody[..^1]), "OP-1");
        yield return Case("a 3-byte datagram answered BAD_REQUEST 0x80 id 0", [1, 1, 0], Reply(0x80, Status.BadRequest, 0, []), null);
        yield return Case("a 3-byte datagram answered with an echoed opcode", [1, 1, 0], Reply(0x81, Status.BadRequest, 0, []), "FRAME-3");
        byte[] version2 = [.. hello];
        version2[0] = 2;
        yield return Case("version 2 answered UNSUPPORTED_VERSION with body 1", version2, Reply(0x81, Status.UnsupportedVersion, 5, [1]), null);
        yield return Case("version 2 answered UNSUPPORTED_VERSION without body", version2, Reply(0x81, Status.UnsupportedVersion, 5, []), "FRAME-7");
        byte[] unknown = RequestCodec.Encode(new GetVersionRequest(9, "/etc/passwd"));
        yield return Case("an unknown target answered UNKNOWN_TARGET", unknown, Reply(0x83, Status.UnknownTarget, 9, []), null);
        yield return Case("an unknown target answered OK", unknown, Reply(0x83, Status.Ok, 9, new byte[41]), "TGT-1");
        yield return Case("an error status with a body", unknown, Reply(0x83, Status.UnknownTarget, 9, [1]), "FRAME-3");
        byte[] big = [.. RequestCodec.Encode(new ReplaceRequest(4, Target, new byte[M]))];
        yield return Case("a datagram over M answered TOO_LARGE", big, Reply(0x82, Status.TooLarge, 4, []), null);
        yield return Case("a datagram over M answered OK", big, Reply(0x82, Status.Ok, 4, new byte[32]), "FRAME-4");
        yield return Case("an unsolicited status for a request", hello, Reply(0x81, Status.Busy, 5, []), "expected OK");
    }

    [TestCaseSource(nameof(Cases))]
    public void Judge_ReplyToRequest_GivesTheVerdictSpecDoes(byte[] request, byte[] reply, string? mismatchMentions)
    {
        string? verdict = ReplyOracle.Judge(request, new StressReply(reply, reply.Length), M, Target);

        if (mismatchMentions is null)
        {
            Assert.That(verdict, Is.Null);
        }
        else
        {
            Assert.That(verdict, Does.Contain(mismatchMentions));
        }
    }

    private static TestCaseData Case(string name, byte[] request, byte[] reply, string? mismatch) =>
        new TestCaseData(request, reply, mismatch).SetName("Judge_" + name.Replace(' ', '_'));

    private static byte[] Reply(byte opcode, Status status, uint id, byte[] body)
    {
        byte[] reply = ReplyCodec.Encode(new Reply(Opcode.None, status, id, string.Empty, body));
        reply[1] = opcode;
        return reply;
    }
}
