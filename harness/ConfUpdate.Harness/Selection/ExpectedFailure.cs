namespace ConfUpdate.Harness.Selection;

/// <summary>One entry of an expected-failures file.</summary>
/// <param name="Id">The scenario id expected to fail for this implementation.</param>
/// <param name="Reason">Why (the <c># reason</c>); empty when none was given.</param>
/// <param name="Line">The 1-based line it was on (0 when unknown).</param>
public sealed record ExpectedFailure(string Id, string Reason, int Line);
