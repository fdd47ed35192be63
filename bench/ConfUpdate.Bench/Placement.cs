namespace ConfUpdate.Bench;

/// <summary>
/// Fixed CPU placement (taskset), because a latency figure is only comparable when it is fixed: client and
/// server on one CPU measures the cost of a request (every microsecond either side spends is on the one
/// CPU), client and server on different CPUs the latency a user sees (it includes the cross-CPU wake-up).
/// Unpinned runs swing by 3x from run to run and are never compared.
/// </summary>
internal static class Placement
{
    private static readonly bool s_twoCpus = System.Environment.ProcessorCount >= 2;

    /// <summary>The CPU client and server share for the cost figures.</summary>
    public static string SharedCpu => s_twoCpus ? "1" : "0";

    /// <summary>The server's CPU for the latency figures.</summary>
    public static string ServerCpu => "0";

    /// <summary>The client's CPU for the latency figures.</summary>
    public static string ClientCpu => s_twoCpus ? "1" : "0";

    /// <summary>Both CPUs, for throughput, memory and start-up figures.</summary>
    public static string AllCpus => s_twoCpus ? "0,1" : "0";

    /// <summary>Prefixes <paramref name="command"/> with <c>taskset -c <paramref name="cpus"/></c>.</summary>
    public static IReadOnlyList<string> Pinned(string cpus, IReadOnlyList<string> command) => ["taskset", "-c", cpus, .. command];

    /// <summary>The 1-minute load average (/proc/loadavg), printed with every figure.</summary>
    public static double LoadAverage()
    {
        string first = File.ReadAllText("/proc/loadavg").Split(' ')[0];
        return double.Parse(first, System.Globalization.CultureInfo.InvariantCulture);
    }
}
