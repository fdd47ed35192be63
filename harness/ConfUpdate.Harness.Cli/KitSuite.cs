using ConfUpdate.Harness.Scenarios;

namespace ConfUpdate.Harness.Cli;

/// <summary>The loaded scenarios, the selection among them, and SPEC.md's requirement index (when found).</summary>
internal sealed record KitSuite(IReadOnlyList<Scenario> All, IReadOnlyList<Scenario> Selected, RequirementIndex? Index, string Directory, string? SpecPath)
{
    /// <exception cref="UsageException">A directory or file named on the command line does not exist.</exception>
    /// <exception cref="ScenarioLoadException">A scenario file is invalid.</exception>
    public static KitSuite Load(KitSettings settings, KitPaths paths)
    {
        string directory = Path.GetFullPath(settings.ScenariosDirectory ?? paths.DefaultScenarios);
        if (!System.IO.Directory.Exists(directory))
        {
            throw new UsageException($"the scenarios directory {directory} does not exist; pass --scenarios DIR (a directory of *.yaml files with schema/scenario.schema.json).");
        }

        if (!File.Exists(Path.Combine(directory, "schema", "scenario.schema.json")))
        {
            throw new UsageException($"{directory} has no schema/scenario.schema.json; pass --scenarios DIR pointing at the kit's scenarios directory.");
        }

        string? spec = settings.SpecPath ?? paths.DefaultSpec;
        if (settings.SpecPath is not null && !File.Exists(settings.SpecPath))
        {
            throw new UsageException($"--spec {settings.SpecPath}: no such file; expected SPEC.md with its requirement index.");
        }

        RequirementIndex? index = null;
        if (spec is not null && File.Exists(spec))
        {
            try
            {
                index = RequirementIndex.Load(spec);
            }
            catch (FormatException ex)
            {
                throw new UsageException($"{spec}: {ex.Message}");
            }
        }

        IReadOnlyList<Scenario> all = ScenarioLoader.ForDirectory(directory, index).LoadDirectory(directory);
        return new KitSuite(all, settings.Selection.Apply(all), index, directory, index is null ? null : spec);
    }
}
