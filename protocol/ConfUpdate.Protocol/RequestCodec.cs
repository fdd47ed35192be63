using System.Text;

namespace ConfUpdate.Protocol;

/// <summary>
/// Encodes and decodes request datagrams (SPEC FRAME-3). All integers are big-endian.
/// <code>
/// offset 0  u8   protocol version (1)
/// offset 1  u8   opcode
/// offset 2  u16  flags, reserved: MUST be 0
/// offset 4  u32  request id, echoed in the reply
/// offset 8  body (per opcode)
/// </code>
/// </summary>
public static class RequestCodec
{
    /// <summary>Bit 0 of REPLACE's options byte: a 32-byte expected version follows.</summary>
    public const byte ReplaceHasExpectedVersion = 0x01;

    /// <summary>Encodes a request into one datagram.</summary>
    /// <exception cref="ArgumentException">The target name is empty or longer than 255 UTF-8 bytes.</exception>
    public static byte[] Encode(Request request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return request switch
        {
            HelloRequest => Header(request, 0),
            GetVersionRequest get => WithName(request, get.Target, 0),
            ReplaceRequest replace => EncodeReplace(replace),
            _ => throw new ArgumentException($"Unknown request type {request.GetType().Name}.", nameof(request)),
        };
    }

    /// <summary>The size of the datagram <see cref="Encode"/> would produce for a REPLACE, without building it.</summary>
    public static int ReplaceSize(string target, int contentLength, bool withExpectedVersion) =>
        ProtocolLimits.RequestHeaderSize + 1 + Encoding.UTF8.GetByteCount(target) + 1
        + (withExpectedVersion ? ProtocolLimits.VersionSize : 0) + contentLength;

    /// <summary>
    /// Decodes one request datagram. On failure, <paramref name="error"/> says which status to reply with
    /// and what to echo; the caller applies nothing (SPEC FRAME-6).
    /// </summary>
    public static bool TryDecode(ReadOnlySpan<byte> datagram, out Request? request, out RequestDecodeError? error)
    {
        request = null;
        error = null;
        if (datagram.Length < ProtocolLimits.RequestHeaderSize)
        {
            error = new RequestDecodeError(Status.BadRequest, Opcode.None, 0,
                $"Request is {datagram.Length} byte(s); a request header is {ProtocolLimits.RequestHeaderSize} bytes.");
            return false;
        }

        _ = RequestHeader.TryRead(datagram, out RequestHeader header);
        (byte version, byte rawOpcode, ushort flags, uint id) = header;
        // SPEC FRAME-3: the reply's opcode byte is the request's opcode OR 0x80, for every opcode byte,
        // undefined ones included (0xff is answered with 0xff, not with the unsolicited 0x80).
        var echo = (Opcode)rawOpcode;

        if (version != ProtocolLimits.Version)
        {
            error = new RequestDecodeError(Status.UnsupportedVersion, echo, id,
                $"Protocol version {version} is not supported; this server speaks version {ProtocolLimits.Version}.");
            return false;
        }

        if (flags != 0)
        {
            error = new RequestDecodeError(Status.BadRequest, echo, id, $"Header flags are 0x{flags:x4}; they are reserved and must be 0.");
            return false;
        }

        if (echo is not (Opcode.Hello or Opcode.Replace or Opcode.GetVersion))
        {
            error = new RequestDecodeError(Status.UnknownOperation, echo, id, $"Opcode 0x{rawOpcode:x2} is not defined by protocol version {ProtocolLimits.Version}.");
            return false;
        }

        try
        {
            var reader = new WireReader(datagram[ProtocolLimits.RequestHeaderSize..], $"{echo} request body");
            request = echo switch
            {
                Opcode.Hello => DecodeHello(ref reader, id),
                Opcode.GetVersion => DecodeGetVersion(ref reader, id),
                _ => DecodeReplace(ref reader, id),
            };
            return true;
        }
        catch (ProtocolException ex)
        {
            error = new RequestDecodeError(Status.BadRequest, echo, id, ex.Message);
            return false;
        }
    }

    private static HelloRequest DecodeHello(ref WireReader reader, uint id)
    {
        reader.ExpectEnd();
        return new HelloRequest(id);
    }

    private static GetVersionRequest DecodeGetVersion(ref WireReader reader, uint id)
    {
        string target = ReadName(ref reader);
        reader.ExpectEnd();
        return new GetVersionRequest(id, target);
    }

    private static ReplaceRequest DecodeReplace(ref WireReader reader, uint id)
    {
        string target = ReadName(ref reader);
        byte options = reader.ReadByte("options");
        if ((options & ~ReplaceHasExpectedVersion) != 0)
        {
            throw new ProtocolException($"REPLACE options are 0x{options:x2}; only bit 0 (expected version present) is defined.");
        }

        ContentVersion? expected = (options & ReplaceHasExpectedVersion) != 0
            ? ContentVersion.FromBytes(reader.ReadBytes(ProtocolLimits.VersionSize, "expected version"))
            : null;
        return new ReplaceRequest(id, target, reader.ReadRest().ToArray(), expected);
    }

    private static string ReadName(ref WireReader reader)
    {
        byte length = reader.ReadByte("target name length");
        if (length == 0)
        {
            throw new ProtocolException("Target name length is 0; a name has 1 to 255 bytes.");
        }

        ReadOnlySpan<byte> name = reader.ReadBytes(length, "target name");
        try
        {
            return Wire.StrictUtf8.GetString(name);
        }
        catch (DecoderFallbackException ex)
        {
            throw new ProtocolException("Target name is not valid UTF-8.", ex);
        }
    }

    private static byte[] Header(Request request, int bodyLength)
    {
        var datagram = new byte[ProtocolLimits.RequestHeaderSize + bodyLength];
        new RequestHeader(ProtocolLimits.Version, (byte)request.Opcode, 0, request.RequestId).WriteTo(datagram);
        return datagram;
    }

    private static byte[] NameBytes(string target)
    {
        ArgumentNullException.ThrowIfNull(target);
        byte[] name = Encoding.UTF8.GetBytes(target);
        if (name.Length is 0 or > ProtocolLimits.MaxTargetNameBytes)
        {
            throw new ArgumentException($"A target name has 1 to {ProtocolLimits.MaxTargetNameBytes} UTF-8 bytes; '{target}' has {name.Length}.", nameof(target));
        }

        return name;
    }

    private static byte[] WithName(Request request, string target, int extra)
    {
        byte[] name = NameBytes(target);
        byte[] datagram = Header(request, 1 + name.Length + extra);
        datagram[ProtocolLimits.RequestHeaderSize] = (byte)name.Length;
        name.CopyTo(datagram, ProtocolLimits.RequestHeaderSize + 1);
        return datagram;
    }

    private static byte[] EncodeReplace(ReplaceRequest replace)
    {
        int versionBytes = replace.ExpectedVersion is null ? 0 : ProtocolLimits.VersionSize;
        byte[] datagram = WithName(replace, replace.Target, 1 + versionBytes + replace.Content.Length);
        int offset = ProtocolLimits.RequestHeaderSize + 1 + datagram[ProtocolLimits.RequestHeaderSize];
        datagram[offset++] = replace.ExpectedVersion is null ? (byte)0 : ReplaceHasExpectedVersion;
        if (replace.ExpectedVersion is { } expected)
        {
            expected.Bytes.CopyTo(datagram.AsSpan(offset));
            offset += ProtocolLimits.VersionSize;
        }

        replace.Content.Span.CopyTo(datagram.AsSpan(offset));
        return datagram;
    }
}
