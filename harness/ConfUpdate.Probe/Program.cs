using ConfUpdate.Probe;

// confkit-probe: reads one JSON command per line on stdin, writes one JSON response per line on
// stdout, until "exit" or end of input. See harness/ConfUpdate.Harness/Probe/ProbeMessages.cs.

// One probe serves every scenario of its identity, and its commands block a pool thread each (stdin reads
// through the console stream, a recv polls for up to its timeout, which is seconds for eof and idle-timeout
// steps). With the default minimum (one worker per core, 2 here) the pool adds a thread only every ~0.5 s
// when starved, so a 250 ms sleep step on another connection could resume seconds late and a server's
// 3 s idle timeout closed a connection that was meant to stay busy. Threads are made on demand up to this
// minimum, so an idle probe costs nothing extra.
const int MinWorkerThreads = 64;
ThreadPool.GetMinThreads(out _, out int completionPortThreads);
ThreadPool.SetMinThreads(MinWorkerThreads, completionPortThreads);

return await new ProbeLoop(Console.OpenStandardInput(), Console.OpenStandardOutput()).RunAsync();
