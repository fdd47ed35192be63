namespace ConfUpdate.Client;

/// <summary>Decodes an OK reply's body; throws <see cref="Protocol.ProtocolException"/> when it is malformed.</summary>
internal delegate T BodyDecoder<out T>(ReadOnlySpan<byte> body);
