namespace ConfUpdate.Server.Targets;

/// <summary>How a validator run ended (SPEC TGT-4).</summary>
/// <param name="Accepted">Exit status 0.</param>
/// <param name="Started">False when the program could not be started (INTERNAL_ERROR rather than VALIDATION_FAILED).</param>
/// <param name="Summary">"exit status 1", "timed out after 10 s", "could not start: ...".</param>
/// <param name="Output">The first bytes of its standard output and standard error.</param>
internal sealed record ValidatorResult(bool Accepted, bool Started, string Summary, byte[] Output);
