namespace ConfUpdate.Protocol;

/// <summary>
/// Writes request datagrams field by field, with the raw overrides of <see cref="RawRequest"/>: what a test kit
/// sends for malformed cases. <see cref="RequestCodec.Encode"/> is the checked encoder for valid requests.
/// </summary>
public static class RequestWriter
{
    /// <summary>The whole datagram: <see cref="Head"/>, content, trailing bytes, cut to <see cref="RawRequest.TruncateTo"/>.</summary>
    public static byte[] Write(RawRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        byte[] datagram = [.. Head(request), .. request.Content.Span, .. request.Trailing.Span];
        return request.TruncateTo is { } cut && cut < datagram.Length ? datagram[..Math.Max(0, cut)] : datagram;
    }

    /// <summary>
    /// Everything before REPLACE's content: header, then per <see cref="RawRequest.Layout"/> the name length and
    /// name, the options byte and the expected version. Content, trailing bytes and truncation are not applied,
    /// so a caller can stream a large content after it.
    /// </summary>
    public static byte[] Head(RawRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var head = new List<byte>(ProtocolLimits.RequestHeaderSize + 1 + request.Name.Length + 1 + ProtocolLimits.VersionSize);
        Span<byte> header = stackalloc byte[ProtocolLimits.RequestHeaderSize];
        new RequestHeader(request.Version, request.OpcodeByte ?? (byte)request.Layout, request.Flags, request.RequestId).WriteTo(header);
        head.AddRange(header);
        if (request.Layout == Opcode.Hello)
        {
            return [.. head];
        }

        head.Add(request.NameLength ?? (byte)request.Name.Length);
        head.AddRange(request.Name.Span);
        if (request.Layout == Opcode.Replace)
        {
            head.Add(request.Options ?? (request.ExpectedVersion is null ? (byte)0 : RequestCodec.ReplaceHasExpectedVersion));
            if (request.ExpectedVersion is { } expected)
            {
                head.AddRange(expected);
            }
        }

        return [.. head];
    }
}
