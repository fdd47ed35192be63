namespace ConfUpdate.Harness.Reporting;

/// <summary>How a scenario's outcome counts for the run, once the expected-failures list is applied.</summary>
public enum Verdict
{
    /// <summary>Passed, and was not listed as an expected failure.</summary>
    Pass,

    /// <summary>Failed (the server departed from the spec) and was not listed.</summary>
    Fail,

    /// <summary>The kit could not carry the scenario out, and it was not listed.</summary>
    Error,

    /// <summary>Failed or errored, but the expected-failures file lists it: does not make the run non-conformant.</summary>
    ExpectedFailure,

    /// <summary>Passed although the expected-failures file lists it: reported, so the list can be pruned.</summary>
    UnexpectedPass,
}
