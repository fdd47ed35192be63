using ConfUpdate.Harness.Tests.Scenarios;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace ConfUpdate.Harness.Tests.Detection;

/// <summary>The faulty servers of <c>tests/faulty-servers/</c>: the registry file and the launcher.</summary>
internal static class FaultRegistry
{
    private static readonly Lazy<IReadOnlyList<Fault>> s_all = new(Load);

    public static string Directory => Path.Combine(KitPaths.SolutionRoot, "tests", "faulty-servers");

    public static string RegistryPath => Path.Combine(Directory, "faults.yaml");

    public static string Launcher => Path.Combine(Directory, "faulty_server.py");

    public static IReadOnlyList<Fault> All => s_all.Value;

    /// <summary>The faults a failed scenario must catch (the detection run).</summary>
    public static IReadOnlyList<Fault> ScenarioFaults => [.. All.Where(f => f.Stress is null)];

    /// <summary>The faults a <c>confkit stress</c> check must catch instead.</summary>
    public static IReadOnlyList<Fault> StressFaults => [.. All.Where(f => f.Stress is not null)];

    /// <summary>One NUnit case per stress fault.</summary>
    public static IEnumerable<TestCaseData> StressCases() =>
        StressFaults.Select(f => new TestCaseData(f.Name, f.Stress)
            .SetName($"Fault_{f.Name}_IsCaughtByStress{f.Stress}")
            .SetDescription($"{f.Description} Breaks {string.Join(", ", f.Requirements)}.")
            .SetCategory("detection"));

    /// <summary>One NUnit case per scenario fault, named by the fault.</summary>
    public static IEnumerable<TestCaseData> Cases() =>
        ScenarioFaults.Select(f => new TestCaseData(f.Name)
            .SetName($"Fault_{f.Name}_IsCaughtOnItsRequirement")
            .SetDescription($"{f.Description} Breaks {string.Join(", ", f.Requirements)}.")
            .SetCategory("detection"));

    /// <summary>The command line that starts one faulty server (SPEC PROF-1 placeholders).</summary>
    public static string Command(string fault) => $"{Python} {Launcher} --fault {fault} --config {{config}}";

    public static string Python { get; } = File.Exists("/usr/bin/python3") ? "/usr/bin/python3" : "python3";

    private sealed class Document
    {
        public List<Fault> Faults { get; set; } = [];
    }

    private static List<Fault> Load()
    {
        IDeserializer yaml = new DeserializerBuilder().WithNamingConvention(UnderscoredNamingConvention.Instance).Build();
        Document document = yaml.Deserialize<Document>(File.ReadAllText(RegistryPath));
        return document.Faults;
    }
}
