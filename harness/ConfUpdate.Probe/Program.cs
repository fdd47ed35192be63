using ConfUpdate.Probe;

// confkit-probe: reads one JSON command per line on stdin, writes one JSON response per line on
// stdout, until "exit" or end of input. See harness/ConfUpdate.Harness/Probe/ProbeMessages.cs.
return await new ProbeLoop(Console.OpenStandardInput(), Console.OpenStandardOutput()).RunAsync();
