namespace ConfUpdate.Harness.Tests.Detection;

/// <summary>All runs of one detection pass and the score they give.</summary>
internal sealed record DetectionResults(
    IReadOnlyDictionary<string, ServerRun> Runs,
    IReadOnlyList<Fault> Faults,
    int ScenarioCount,
    TimeSpan Duration,
    int Concurrency,
    bool AllScenariosForFaults)
{
    public static IReadOnlyList<string> CorrectServers { get; } = [DetectionRun.Reference, DetectionRun.PythonExample];

    /// <summary>A fault is caught when its run is non-conformant and a failed scenario cites a requirement it breaks.</summary>
    public bool IsCaught(Fault fault) =>
        Runs.ContainsKey(fault.Name) && Runs[fault.Name].NonConformant && Runs[fault.Name].FailedCiting(fault.Requirements).Count > 0;

    public int Caught => Faults.Count(IsCaught);

    /// <summary>Scenarios that did not pass against a correct server.</summary>
    public int FalseAlarms => CorrectServers.Where(Runs.ContainsKey).Sum(s => Runs[s].NotPassed.Count());

    public string ScoreLine =>
        $"caught {Caught} of {Faults.Count} faulty servers, {FalseAlarms} false alarm{(FalseAlarms == 1 ? "" : "s")}";
}
