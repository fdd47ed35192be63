using ConfUpdate.Protocol.Tests.Support;

namespace ConfUpdate.Protocol.Tests;

/// <summary>
/// Every malformed request maps to the status SPEC FRAME-6..FRAME-8 prescribes, with the opcode and
/// request id the reply must echo (SPEC FRAME-3), and a message naming what was wrong.
/// </summary>
public class RequestCodecMalformedTests
{
    private const uint Id = 0x0A0B0C0D;
    private static readonly byte[] s_idBytes = [0x0A, 0x0B, 0x0C, 0x0D];

    private static byte[] Header(byte version = 1, byte opcode = 0x01, ushort flags = 0) =>
        Bytes.Concat([version, opcode, (byte)(flags >> 8), (byte)flags], s_idBytes);

    private static byte[] GetVersion(params byte[] body) => Bytes.Concat(Header(opcode: 0x03), body);

    private static byte[] Replace(params byte[] body) => Bytes.Concat(Header(opcode: 0x02), body);

    private static IEnumerable<TestCaseData> ShorterThanHeader()
    {
        byte[] hello = RequestCodec.Encode(new HelloRequest(Id));
        for (int length = 0; length < ProtocolLimits.RequestHeaderSize; length++)
        {
            yield return new TestCaseData(hello[..length]).SetArgDisplayNames($"{length} bytes of a HELLO");
        }

        // Even a bad version byte or an unknown opcode is BAD_REQUEST when the header is incomplete.
        yield return new TestCaseData(new byte[] { 0x02 }).SetArgDisplayNames("1 byte, version 2");
        yield return new TestCaseData(new byte[] { 0x01, 0xFF, 0x00, 0x00 }).SetArgDisplayNames("4 bytes, opcode 0xff");
        yield return new TestCaseData(new byte[] { 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF }).SetArgDisplayNames("7 bytes of 0xff");
    }

    private static IEnumerable<TestCaseData> BadVersions()
    {
        foreach (byte version in new byte[] { 0x00, 0x02, 0x7F, 0x80, 0xFF })
        {
            yield return new TestCaseData(Header(version: version), version, Opcode.Hello).SetArgDisplayNames($"HELLO, version {version}");
        }

        byte[] replace = RequestCodec.Encode(new ReplaceRequest(Id, "site", Bytes.AllValues(), ContentVersion.Absent));
        replace[0] = 0x02;
        yield return new TestCaseData(replace, (byte)0x02, Opcode.Replace).SetArgDisplayNames("well-formed REPLACE, version 2");

        byte[] get = RequestCodec.Encode(new GetVersionRequest(Id, "site"));
        get[0] = 0x00;
        yield return new TestCaseData(get, (byte)0x00, Opcode.GetVersion).SetArgDisplayNames("well-formed GET_VERSION, version 0");
    }

    private static IEnumerable<TestCaseData> NonzeroFlags()
    {
        foreach (ushort flags in new ushort[] { 0x0001, 0x0080, 0x0100, 0x8000, 0xFFFF })
        {
            yield return new TestCaseData(Header(flags: flags), Opcode.Hello).SetArgDisplayNames($"HELLO, flags 0x{flags:x4}");
        }

        yield return new TestCaseData(Bytes.Concat(Header(opcode: 0x03, flags: 0x0001), [4], Bytes.Utf8("site")), Opcode.GetVersion)
            .SetArgDisplayNames("GET_VERSION, flags 0x0001");
        yield return new TestCaseData(Bytes.Concat(Header(opcode: 0x02, flags: 0x0100), [4], Bytes.Utf8("site"), [0]), Opcode.Replace)
            .SetArgDisplayNames("REPLACE, flags 0x0100");
    }

    private static IEnumerable<TestCaseData> UnknownOpcodes()
    {
        foreach (byte opcode in new byte[] { 0x00, 0x04, 0x05, 0x7F, 0x80, 0x81, 0x83, 0xFE, 0xFF })
        {
            yield return new TestCaseData(opcode, Array.Empty<byte>()).SetArgDisplayNames($"0x{opcode:x2}, no body");
            yield return new TestCaseData(opcode, Bytes.Concat([4], Bytes.Utf8("site"))).SetArgDisplayNames($"0x{opcode:x2}, name body");
        }
    }

    private static IEnumerable<TestCaseData> BodyMismatches()
    {
        // Name length 0 (SPEC FRAME-6).
        yield return Case("GET_VERSION name length 0", GetVersion(0), Opcode.GetVersion, "name length");
        yield return Case("GET_VERSION name length 0 with bytes after", GetVersion(0, 0x61), Opcode.GetVersion, "name length");
        yield return Case("REPLACE name length 0", Replace(0, 0, 0x41), Opcode.Replace, "name length");

        // No name length at all.
        yield return Case("GET_VERSION empty body", GetVersion(), Opcode.GetVersion, "name length");
        yield return Case("REPLACE empty body", Replace(), Opcode.Replace, "name length");

        // A name longer than the body.
        yield return Case("GET_VERSION name 1, no bytes", GetVersion(1), Opcode.GetVersion, "target name");
        yield return Case("GET_VERSION name 5, 4 bytes", Bytes.Concat(GetVersion(5), Bytes.Utf8("site")), Opcode.GetVersion, "target name");
        yield return Case("GET_VERSION name 255, 254 bytes", Bytes.Concat(GetVersion(255), new byte[254]), Opcode.GetVersion, "target name");
        yield return Case("REPLACE name 255, 10 bytes", Bytes.Concat(Replace(255), Bytes.Pattern(10, 0x41)), Opcode.Replace, "target name");
        yield return Case("REPLACE name 5, 4 bytes", Bytes.Concat(Replace(5), Bytes.Utf8("site")), Opcode.Replace, "target name");

        // REPLACE whose body ends right after the name: the options byte is missing.
        yield return Case("REPLACE without options byte", Bytes.Concat(Replace(4), Bytes.Utf8("site")), Opcode.Replace, "options");

        // Undefined REPLACE option bits (only bit 0 is defined).
        foreach (byte options in new byte[] { 0x02, 0x03, 0x04, 0x40, 0x80, 0xFE, 0xFF })
        {
            yield return Case($"REPLACE options 0x{options:x2}", Bytes.Concat(Replace(4), Bytes.Utf8("site"), [options], new byte[40]), Opcode.Replace, "options");
        }

        // Expected version announced but cut short.
        foreach (int present in new[] { 0, 1, 16, 31 })
        {
            yield return Case($"REPLACE expected version {present}/32 bytes", Bytes.Concat(Replace(4), Bytes.Utf8("site"), [0x01], new byte[present]), Opcode.Replace, "expected version");
        }

        // Trailing bytes after a HELLO or GET_VERSION body.
        yield return Case("HELLO + 1 byte", Bytes.Concat(Header(), [0]), Opcode.Hello, "trailing");
        yield return Case("HELLO + 100 bytes", Bytes.Concat(Header(), Bytes.Pattern(100)), Opcode.Hello, "trailing");
        yield return Case("GET_VERSION + 1 byte", Bytes.Concat(GetVersion(4), Bytes.Utf8("site"), [0]), Opcode.GetVersion, "trailing");
        yield return Case("GET_VERSION + 33 bytes", Bytes.Concat(GetVersion(4), Bytes.Utf8("site"), [1], new byte[32]), Opcode.GetVersion, "trailing");

        static TestCaseData Case(string name, byte[] datagram, Opcode opcode, string keyword) =>
            new TestCaseData(datagram, opcode, keyword).SetArgDisplayNames(name);
    }

    private static IEnumerable<TestCaseData> InvalidUtf8Names()
    {
        yield return new TestCaseData(new byte[] { 0xFF }).SetArgDisplayNames("0xff");
        yield return new TestCaseData(new byte[] { 0x80 }).SetArgDisplayNames("lone continuation byte");
        yield return new TestCaseData(new byte[] { 0x61, 0xC3 }).SetArgDisplayNames("truncated 2-byte sequence");
        yield return new TestCaseData(new byte[] { 0xE6, 0x97 }).SetArgDisplayNames("truncated 3-byte sequence");
        yield return new TestCaseData(new byte[] { 0xC0, 0xAF }).SetArgDisplayNames("overlong slash");
        yield return new TestCaseData(new byte[] { 0xE0, 0x80, 0xAF }).SetArgDisplayNames("overlong 3-byte slash");
        yield return new TestCaseData(new byte[] { 0xED, 0xA0, 0x80 }).SetArgDisplayNames("UTF-16 surrogate D800");
        yield return new TestCaseData(new byte[] { 0xF4, 0x90, 0x80, 0x80 }).SetArgDisplayNames("above U+10FFFF");
        yield return new TestCaseData(new byte[] { 0xF8, 0x88, 0x80, 0x80, 0x80 }).SetArgDisplayNames("5-byte form");
        yield return new TestCaseData(new byte[] { 0x73, 0x69, 0x74, 0x65, 0xFE }).SetArgDisplayNames("valid prefix then 0xfe");
    }

    [TestCaseSource(nameof(ShorterThanHeader))]
    public void TryDecode_ShorterThanHeader_IsBadRequestWithNoOpcodeAndIdZero(byte[] datagram)
    {
        RequestDecodeError error = DecodeError(datagram);

        Assert.Multiple(() =>
        {
            Assert.That(error.Status, Is.EqualTo(Status.BadRequest));
            Assert.That(error.Opcode, Is.EqualTo(Opcode.None));
            Assert.That(error.RequestId, Is.Zero);
            Assert.That(error.Message, Does.Contain($"{datagram.Length} byte"));
        });
    }

    [TestCaseSource(nameof(BadVersions))]
    public void TryDecode_VersionOtherThan1_IsUnsupportedVersionEchoingOpcodeAndId(byte[] datagram, byte version, Opcode opcode)
    {
        RequestDecodeError error = DecodeError(datagram);

        Assert.Multiple(() =>
        {
            Assert.That(error.Status, Is.EqualTo(Status.UnsupportedVersion));
            Assert.That(error.Opcode, Is.EqualTo(opcode));
            Assert.That(error.RequestId, Is.EqualTo(Id));
            Assert.That(error.Message, Does.Contain($"version {version}"));
        });
    }

    [TestCaseSource(nameof(NonzeroFlags))]
    public void TryDecode_NonzeroFlags_IsBadRequestEchoingOpcodeAndId(byte[] datagram, Opcode opcode)
    {
        RequestDecodeError error = DecodeError(datagram);

        Assert.Multiple(() =>
        {
            Assert.That(error.Status, Is.EqualTo(Status.BadRequest));
            Assert.That(error.Opcode, Is.EqualTo(opcode));
            Assert.That(error.RequestId, Is.EqualTo(Id));
            Assert.That(error.Message, Does.Contain("flags"));
        });
    }

    [TestCaseSource(nameof(UnknownOpcodes))]
    public void TryDecode_UndefinedOpcode_IsUnknownOperationEchoingTheOpcodeByte(byte opcode, byte[] body)
    {
        RequestDecodeError error = DecodeError(Bytes.Concat(Header(opcode: opcode), body));

        Assert.Multiple(() =>
        {
            Assert.That(error.Status, Is.EqualTo(Status.UnknownOperation));
            Assert.That((byte)error.Opcode, Is.EqualTo(opcode));
            Assert.That(error.RequestId, Is.EqualTo(Id));
            Assert.That(error.Message, Does.Contain($"0x{opcode:x2}"));
        });
    }

    [TestCase((byte)0x00, (byte)0x80)]
    [TestCase((byte)0x04, (byte)0x84)]
    [TestCase((byte)0x7F, (byte)0xFF)]
    [TestCase((byte)0x80, (byte)0x80)]
    [TestCase((byte)0xFF, (byte)0xFF)]
    public void UnknownOperationReply_CarriesTheRequestOpcodeOr0x80(byte requestOpcode, byte replyOpcode)
    {
        // SPEC FRAME-3: the reply's opcode byte is "the request's opcode OR 0x80".
        RequestDecodeError error = DecodeError(Bytes.Concat(Header(opcode: requestOpcode)));

        byte[] reply = ReplyCodec.Encode(Reply.Failure(error.Opcode, error.Status, error.RequestId, error.Message));

        Assert.Multiple(() =>
        {
            Assert.That(reply[1], Is.EqualTo(replyOpcode));
            Assert.That(reply[2], Is.EqualTo((byte)Status.UnknownOperation));
            Assert.That(reply[4..8], Is.EqualTo(s_idBytes));
        });
    }

    [TestCaseSource(nameof(BodyMismatches))]
    public void TryDecode_BodyNotMatchingOpcode_IsBadRequestEchoingOpcodeAndId(byte[] datagram, Opcode opcode, string keyword)
    {
        RequestDecodeError error = DecodeError(datagram);

        Assert.Multiple(() =>
        {
            Assert.That(error.Status, Is.EqualTo(Status.BadRequest));
            Assert.That(error.Opcode, Is.EqualTo(opcode));
            Assert.That(error.RequestId, Is.EqualTo(Id));
            Assert.That(error.Message, Does.Contain(keyword).IgnoreCase);
        });
    }

    [TestCaseSource(nameof(InvalidUtf8Names))]
    public void TryDecode_GetVersionWithInvalidUtf8Name_IsBadRequest(byte[] name)
    {
        RequestDecodeError error = DecodeError(Bytes.Concat(GetVersion((byte)name.Length), name));

        AssertInvalidUtf8(error, Opcode.GetVersion);
    }

    [TestCaseSource(nameof(InvalidUtf8Names))]
    public void TryDecode_ReplaceWithInvalidUtf8Name_IsBadRequest(byte[] name)
    {
        RequestDecodeError error = DecodeError(Bytes.Concat(Replace((byte)name.Length), name, [0], Bytes.Utf8("content")));

        AssertInvalidUtf8(error, Opcode.Replace);
    }

    [Test]
    public void TryDecode_ReplaceWithExactly32VersionBytesAndNoContent_IsValid()
    {
        // The boundary next to the truncated-version cases above: 32 bytes is complete, content empty.
        byte[] datagram = Bytes.Concat(Replace(4), Bytes.Utf8("site"), [0x01], new byte[32]);

        bool decoded = RequestCodec.TryDecode(datagram, out Request? request, out RequestDecodeError? error);

        Assert.That(decoded, Is.True, () => error!.Message);
        var replace = (ReplaceRequest)request!;
        Assert.Multiple(() =>
        {
            Assert.That(replace.ExpectedVersion, Is.EqualTo(ContentVersion.Absent));
            Assert.That(replace.Content.Length, Is.Zero);
        });
    }

    [Test]
    public void TryDecode_Failure_LeavesRequestNull()
    {
        bool decoded = RequestCodec.TryDecode(Header(flags: 1), out Request? request, out RequestDecodeError? error);

        Assert.Multiple(() =>
        {
            Assert.That(decoded, Is.False);
            Assert.That(request, Is.Null);
            Assert.That(error, Is.Not.Null);
        });
    }

    private static RequestDecodeError DecodeError(byte[] datagram)
    {
        bool decoded = RequestCodec.TryDecode(datagram, out Request? request, out RequestDecodeError? error);
        Assert.That(decoded, Is.False, () => $"expected a decode error, got {request}");
        Assert.That(request, Is.Null);
        Assert.That(error, Is.Not.Null);
        return error!;
    }

    private static void AssertInvalidUtf8(RequestDecodeError error, Opcode opcode) =>
        Assert.Multiple(() =>
        {
            Assert.That(error.Status, Is.EqualTo(Status.BadRequest));
            Assert.That(error.Opcode, Is.EqualTo(opcode));
            Assert.That(error.RequestId, Is.EqualTo(Id));
            Assert.That(error.Message, Does.Contain("UTF-8"));
        });
}
