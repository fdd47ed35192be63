using ConfUpdate.Harness.Scenarios;

namespace ConfUpdate.Harness.Tests.Scenarios;

/// <summary>Loader error messages name the file and the place; generation expands templates.</summary>
[TestFixture]
public sealed class ScenarioLoaderTests
{
    private static ScenarioLoader Loader() => ScenarioLoader.ForDirectory(KitPaths.ScenariosDirectory, ScenarioCatalog.Requirements);

    private static ScenarioLoadException LoadBroken(string yaml) =>
        Assert.Throws<ScenarioLoadException>(() => Loader().LoadText(yaml, "broken.yaml"))!;

    [Test]
    public void Load_YamlSyntaxError_NamesFileAndLine()
    {
        var ex = LoadBroken("scenarios:\n  - id: x\n    title: [unclosed\n");

        Assert.That(ex.Errors, Has.Count.EqualTo(1));
        Assert.That(ex.Errors[0].File, Is.EqualTo("broken.yaml"));
        Assert.That(ex.Errors[0].Line, Is.GreaterThanOrEqualTo(3));
        Assert.That(ex.Message, Does.Contain("broken.yaml:"));
    }

    [Test]
    public void Load_UnknownStepKey_NamesPointerAndLine()
    {
        const string Yaml = """
            scenarios:
              - id: bad.step
                title: A step with a typo.
                requirements: [OP-1]
                steps:
                  - connect: true
                  - request: {op: hello}
                    expcet: {status: OK}
            """;

        var ex = LoadBroken(Yaml);

        // The typo is on line 8, inside the step that starts on line 7.
        ScenarioLoadError error = ex.Errors.First(e => e.Location.StartsWith("/scenarios/0/steps/1", StringComparison.Ordinal));
        Assert.That(error.Line, Is.EqualTo(8).Or.EqualTo(7));
        Assert.That(ex.Message, Does.Contain("broken.yaml:8").Or.Contain("broken.yaml:7"));
    }

    [Test]
    public void Load_UnknownStepKey_SaysSoInPlainWords_WithTheClosestKey()
    {
        const string Yaml = """
            scenarios:
              - id: bad.step
                title: A step with a typo.
                requirements: [OP-1]
                steps:
                  - connect: true
                  - {request: {op: hello}, expcet: {status: OK}}
            """;

        var ex = LoadBroken(Yaml);

        Assert.That(ex.Errors.Select(e => e.ToString()), Has.One.StartsWith(
            "broken.yaml:7:40: unknown key `expcet` in step 2 of scenario `bad.step`; did you mean `expect`?"));
        Assert.That(ex.Message, Does.Not.Contain("false schema").And.Not.Contain("Required properties"));
    }

    [Test]
    public void Load_MisspeltEnumValue_NamesTheFieldAndTheClosestValue()
    {
        const string Yaml = """
            scenarios:
              - id: bad.op
                title: An unknown operation name.
                requirements: [OP-1]
                steps:
                  - connect: true
                  - {request: {op: helo}, expect: {status: OK}}
            """;

        var ex = LoadBroken(Yaml);

        Assert.That(ex.Errors.Select(e => e.Message), Has.One.EqualTo(
            "`request.op` in step 2 of scenario `bad.op` is `helo`, which is not one of: hello, replace, get_version; did you mean `hello`?"));
    }

    [Test]
    public void Load_SchemaAndMeaningErrors_AreReportedInTheSamePass()
    {
        const string Yaml = """
            scenarios:
              - id: bad.schema
                title: A typo.
                requirements: [OP-1]
                steps:
                  - {connect: true, expcet: {status: OK}}
              - id: bad.meaning
                title: A requirement that does not exist.
                requirements: [NOPE-99]
                steps:
                  - connect: true
            """;

        var ex = LoadBroken(Yaml);

        Assert.Multiple(() =>
        {
            Assert.That(ex.Errors, Has.Count.EqualTo(2), ex.Message);
            Assert.That(ex.Message, Does.Contain("unknown key `expcet`"));
            Assert.That(ex.Message, Does.Contain("NOPE-99"));
        });
    }

    [Test]
    public void LoadDirectory_ReadsYmlFilesToo()
    {
        string directory = Directory.CreateTempSubdirectory("confkit-yml-").FullName;
        try
        {
            Directory.CreateDirectory(Path.Combine(directory, "schema"));
            File.Copy(Path.Combine(KitPaths.ScenariosDirectory, "schema", "scenario.schema.json"), Path.Combine(directory, "schema", "scenario.schema.json"));
            File.WriteAllText(Path.Combine(directory, "a.yaml"), "scenarios:\n  - {id: from.yaml, title: A., requirements: [OP-1], steps: [{connect: true}]}\n");
            File.WriteAllText(Path.Combine(directory, "b.yml"), "scenarios:\n  - {id: from.yml, title: B., requirements: [OP-1], steps: [{connect: true}]}\n");

            IReadOnlyList<Scenario> scenarios = ScenarioLoader.ForDirectory(directory, ScenarioCatalog.Requirements).LoadDirectory(directory);

            Assert.That(scenarios.Select(s => s.Id), Is.EqualTo(new[] { "from.yaml", "from.yml" }));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Test]
    public void Load_WrongValueType_NamesThePropertyPointer()
    {
        const string Yaml = """
            scenarios:
              - id: bad.type
                title: A level that is not MUST or SHOULD.
                requirements: [OP-1]
                level: MAYBE
                steps: []
            """;

        var ex = LoadBroken(Yaml);

        Assert.That(ex.Errors.Select(e => e.Location), Has.Some.EqualTo("/scenarios/0/level"));
        Assert.That(ex.Errors.First(e => e.Location == "/scenarios/0/level").Line, Is.EqualTo(5));
    }

    [Test]
    public void Load_UnknownRequirement_IsALintError()
    {
        const string Yaml = """
            scenarios:
              - id: bad.requirement
                title: Cites a requirement SPEC.md does not have.
                requirements: [NOPE-99]
                steps: []
            """;

        var ex = LoadBroken(Yaml);

        Assert.That(ex.Message, Does.Contain("NOPE-99"));
    }

    [Test]
    public void Load_DuplicateIds_AreReported()
    {
        const string Yaml = """
            scenarios:
              - {id: same.id, title: One., requirements: [OP-1], steps: []}
              - {id: same.id, title: Two., requirements: [OP-1], steps: []}
            """;

        var ex = LoadBroken(Yaml);

        Assert.That(ex.Message, Does.Contain("Duplicate scenario id 'same.id'"));
    }

    [Test]
    public void Load_UnknownStatusName_IsALintError()
    {
        const string Yaml = """
            scenarios:
              - id: bad.status
                title: Expects a status that does not exist.
                requirements: [OP-1]
                steps:
                  - connect: true
                  - {request: {op: hello}, expect: {status: FINE}}
            """;

        var ex = LoadBroken(Yaml);

        Assert.That(ex.Message, Does.Contain("unknown status 'FINE'"));
    }

    [Test]
    public void Load_EventuallyWithNothingThatCanFail_IsALintError()
    {
        const string Yaml = """
            scenarios:
              - id: bad.eventually
                title: Retries a sleep, which always succeeds.
                requirements: [OP-1]
                steps:
                  - eventually: {steps: [{sleep_ms: 10}]}
            """;

        var ex = LoadBroken(Yaml);

        Assert.That(ex.Message, Does.Contain("an eventually step needs a step that can fail"));
    }

    [Test]
    public void Generate_Sizes_ExpandsOneScenarioPerSize_WithIdSafeIds()
    {
        const string Yaml = """
            scenarios:
              - id: gen.size-{size}
                title: Size {size}.
                requirements: [FRAME-4]
                generate:
                  sizes: [0, max, max+1, max-1, 2*max]
                steps:
                  - connect: true
                  - request: {target: t, size: "{size}"}
            """;

        IReadOnlyList<Scenario> scenarios = Loader().LoadText(Yaml, "gen.yaml");

        Assert.That(scenarios.Select(s => s.Id), Is.EqualTo(new[] { "gen.size-0", "gen.size-max", "gen.size-max-plus-1", "gen.size-max-minus-1", "gen.size-2x-max" }));
        Assert.That(((RequestStep)scenarios[2].Steps[1].Action).Datagram.Size, Is.EqualTo("max+1"));
        Assert.That(scenarios[0].Title, Is.EqualTo("Size 0."));
    }

    [Test]
    public void Generate_Vars_SubstituteWholeValues()
    {
        const string Yaml = """
            scenarios:
              - id: gen.{case}
                title: Case {case}.
                requirements: [FRAME-6]
                generate:
                  vars:
                    - {case: a, request: {op: hello, flags: 1}, status: BAD_REQUEST}
                    - {case: b, request: {op: hello, version: 2}, status: UNSUPPORTED_VERSION}
                steps:
                  - connect: true
                  - {request: "{request}", expect: {status: "{status}"}}
            """;

        IReadOnlyList<Scenario> scenarios = Loader().LoadText(Yaml, "gen.yaml");

        Assert.That(scenarios, Has.Count.EqualTo(2));
        Assert.That(((RequestStep)scenarios[0].Steps[1].Action).Datagram.Flags, Is.EqualTo(1));
        Assert.That(((RequestStep)scenarios[1].Steps[1].Action).Datagram.Version, Is.EqualTo(2));
        Assert.That(scenarios[1].Steps[1].Expect!.Status, Is.EqualTo("UNSUPPORTED_VERSION"));
    }

    [Test]
    public void Generate_InvalidExpandedValue_NamesTemplateAndCase()
    {
        const string Yaml = """
            scenarios:
              - id: gen.bad-{n}
                title: Bad expansion.
                requirements: [FRAME-6]
                generate:
                  vars: [{n: 1, t: 5}]
                steps:
                  - {connect: true, timeout_ms: "{t}x"}
            """;

        var ex = LoadBroken(Yaml);

        Assert.That(ex.Message, Does.Contain("generated case 0"));
        Assert.That(ex.Errors[0].Line, Is.EqualTo(8));
    }

    [Test]
    public void SizeExpressions_EvaluateAgainstAnnouncedMaximumAndSendBuffer()
    {
        var sizes = new SizeContext(65536, 212992);

        Assert.Multiple(() =>
        {
            Assert.That(sizes.Evaluate("max+1"), Is.EqualTo(65537));
            Assert.That(sizes.Evaluate("2*max"), Is.EqualTo(131072));
            Assert.That(sizes.Evaluate("sndbuf-1024"), Is.EqualTo(211968));
            Assert.That(sizes.Evaluate("page-1"), Is.EqualTo(4095));
            Assert.That(sizes.Evaluate("17"), Is.EqualTo(17));
        });
        Assert.Throws<FormatException>(() => sizes.Evaluate("max plus one"));
    }
}
