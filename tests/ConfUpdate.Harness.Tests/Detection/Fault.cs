namespace ConfUpdate.Harness.Tests.Detection;

/// <summary>One deliberately faulty server of <c>tests/faulty-servers/faults.yaml</c>.</summary>
internal sealed class Fault
{
    /// <summary>The name passed to <c>faulty_server.py --fault</c>.</summary>
    public string Name { get; set; } = "";

    /// <summary>What the fault does, in one line.</summary>
    public string Description { get; set; } = "";

    /// <summary>The SPEC requirement IDs the fault breaks; a failed scenario must cite one of them.</summary>
    public List<string> Requirements { get; set; } = [];

    /// <summary>
    /// The <c>confkit stress</c> check that catches the fault (crash, fuzz, attack, hygiene), for a fault no
    /// scenario can see (a slow rejection is a conformant reply, only late); null: the scenarios catch it.
    /// </summary>
    public string? Stress { get; set; }
}
