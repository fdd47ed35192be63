namespace ConfUpdate.Harness.Running;

/// <summary>One line of a scenario's transcript: what an identity sent or received, or what the kit did.</summary>
/// <param name="AtMs">Milliseconds since the scenario started.</param>
/// <param name="Role">The acting role and its account (<c>allowed/www-data</c>), or <c>kit</c>.</param>
/// <param name="Direction"><c>&gt;</c> sent, <c>&lt;</c> received, <c>!</c> kit action or check.</param>
/// <param name="Text">What happened, with datagram sizes and decoded fields.</param>
public sealed record TranscriptEntry(double AtMs, string Role, string Direction, string Text)
{
    /// <inheritdoc />
    public override string ToString() => $"{AtMs,8:0.0} ms  {Role,-24} {Direction} {Text}";
}
