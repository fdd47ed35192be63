namespace ConfUpdate.Protocol;

/// <summary>What one receive on a SOCK_SEQPACKET socket returned.</summary>
/// <param name="Length">The datagram's real length as the kernel reports it under <c>MSG_TRUNC</c>, even when larger than the buffer.</param>
/// <param name="BufferSize">The size of the buffer it was received into.</param>
public readonly record struct ReceivedDatagram(int Length, int BufferSize)
{
    /// <summary>
    /// The receive returned 0: end of stream, or a zero-length datagram. The two cannot be told
    /// apart by <c>recv</c>, so the spec treats both as end of connection (SPEC FRAME-5).
    /// </summary>
    public bool IsEndOfStream => Length == 0;

    /// <summary>The datagram did not fit: the buffer holds only its first <see cref="BufferSize"/> bytes and the rest is gone.</summary>
    public bool IsTruncated => Length > BufferSize;

    /// <summary>How many bytes of the buffer hold data.</summary>
    public int BytesInBuffer => Math.Min(Length, BufferSize);
}
