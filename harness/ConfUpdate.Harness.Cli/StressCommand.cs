using System.CommandLine;
using System.Globalization;
using ConfUpdate.Harness.Environment;
using ConfUpdate.Harness.Running;
using ConfUpdate.Harness.Stress;
using Spectre.Console;

namespace ConfUpdate.Harness.Cli;

/// <summary>
/// <c>confkit stress</c>: the reliability checks (crash consistency, fuzzing, attack, hygiene) against
/// any server, with a progress display, report.json and summary.md, and a rerun line. A separate command
/// rather than scenario kinds: a check runs for seconds to minutes against servers of its own.
/// </summary>
internal static class StressCommand
{
    private const string ShortProfile = "short";
    private const string LongProfile = "long";

    public static Command Create(KitIo io, KitPaths paths, Func<CancellationToken, CancellationToken> interruptible)
    {
        var server = new Option<string?>("--server") { Description = "Server command template with {config} (default: the reference server)", HelpName = "CMD" };
        var profile = new Option<string>("--profile") { Description = "short (CI: crash x 50, fuzz 100,000, attack 10 s) or long (crash x 1,000, fuzz 1,000,000, attack 60 s)", DefaultValueFactory = _ => ShortProfile };
        profile.AcceptOnlyFromAmong(ShortProfile, LongProfile);
        var only = new Option<string[]>("--only") { Description = "Run only these checks: crash, fuzz, attack, hygiene (repeatable)", AllowMultipleArgumentsPerToken = true, HelpName = "CHECK" };
        var seed = new Option<int?>("--seed") { Description = "Seed of every random choice (default: new each run; the report and rerun line give it)", HelpName = "N" };
        var crash = new Option<int?>("--crash") { Description = "SIGKILLs in the crash check (overrides the profile)", HelpName = "N" };
        var fuzz = new Option<int?>("--fuzz") { Description = "Datagrams in the fuzz check (overrides the profile)", HelpName = "N" };
        var attack = new Option<double?>("--attack-seconds") { Description = "Length of the attack check (idle plus three attacks; overrides the profile)", HelpName = "SECONDS" };
        var ratio = new Option<double?>("--latency-ratio") { Description = "Fail the attack check when HELLO p99 under an attack passes this multiple of idle (default 3)", HelpName = "R" };
        var floor = new Option<double?>("--latency-floor") { Description = "p99 latencies under this many milliseconds never fail the attack check (default 2; a shared CI runner wants more)", HelpName = "MS" };
        var reportDir = new Option<string?>("--report-dir") { Description = "Where report.json, summary.md and a fuzz reproduction go (default: <checkout>/artifacts/stress-report)", HelpName = "DIR" };
        var reliability = new Option<string?>("--write-reliability") { Description = "Also write the summary as this Markdown file (docs/RELIABILITY.md)", HelpName = "FILE" };
        var noColor = new Option<bool>("--no-color") { Description = "Plain output without colour or live progress" };
        var command = new Command("stress", HelpText.Stress);
        foreach (Option option in new Option[] { server, profile, only, seed, crash, fuzz, attack, ratio, floor, reportDir, reliability, noColor })
        {
            command.Add(option);
        }

        command.SetAction((parse, cancellationToken) => KitApplication.GuardAsync(io, async () =>
        {
            string profileName = parse.GetValue(profile)!;
            bool isLong = profileName == LongProfile;
            int theSeed = parse.GetValue(seed) ?? Random.Shared.Next(1, int.MaxValue);
            IReadOnlyList<StressCheck> checks = Checks(parse.GetValue(only) ?? []);
            UserSwitch userSwitch = UserSwitch.Detect(SwitchStrategy.Auto);
            string dotnet = DotnetHost.Find();
            string? serverCommand = parse.GetValue(server);
            using KitBinaries binaries = KitBinaries.Stage(paths, dotnet, serverCommand);
            UnixAccount allowed = UnixAccount.Lookup(RunOptions.DefaultRoles["allowed"]);
            UnixAccount denied = UnixAccount.Lookup(RunOptions.DefaultRoles["denied"]);
            await EnvironmentCheck.VerifyAsync(userSwitch, RunOptions.DefaultRoles, [dotnet], [binaries.ProbeAssembly], cancellationToken).ConfigureAwait(false);
            string reports = Path.GetFullPath(parse.GetValue(reportDir) ?? Path.Combine(paths.Root ?? Directory.GetCurrentDirectory(), "artifacts", "stress-report"));
            Directory.CreateDirectory(reports);
            var options = new StressOptions(binaries.ServerCommand, binaries.ProbeCommand, userSwitch, allowed, denied)
            {
                Checks = checks,
                Seed = theSeed,
                CrashKills = parse.GetValue(crash) ?? (isLong ? 1_000 : 50),
                FuzzDatagrams = parse.GetValue(fuzz) ?? (isLong ? 1_000_000 : 100_000),
                AttackDuration = TimeSpan.FromSeconds(parse.GetValue(attack) ?? (isLong ? 60 : 10)),
                LatencyRatio = parse.GetValue(ratio) ?? 3,
                LatencyFloor = TimeSpan.FromMilliseconds(parse.GetValue(floor) ?? 2),
                FailureDirectory = reports,
            };
            // The reference server runs from a staging copy in /tmp: name what it is, not where it was copied.
            string display = serverCommand ?? "the reference server (server/ConfUpdate.Server, Release build)";
            string rerun = Rerun(io, serverCommand, profileName, theSeed, parse.GetValue(only), parse.GetValue(ratio), parse.GetValue(floor));
            KitConsole console = io.Console(parse.GetValue(noColor));
            console.Raw($"confkit stress: {profileName} profile, seed {theSeed}, checks {string.Join(", ", checks).ToLowerInvariant()}, against {display}");
            string loadBefore = StressReport.ReadLoad();
            DateTimeOffset started = DateTimeOffset.UtcNow;
            var results = new List<StressResult>();
            CancellationToken token = interruptible(cancellationToken);
            if (console.Live)
            {
                await console.Ansi.Progress().AutoClear(true).StartAsync(async context =>
                {
                    var tasks = checks.ToDictionary(c => c, c => context.AddTask(c.ToString().ToLowerInvariant(), autoStart: false));
                    var progress = new SynchronousProgress(p =>
                    {
                        ProgressTask task = tasks[p.Check];
                        task.StartTask();
                        task.MaxValue = Math.Max(1, p.Total);
                        task.Value = Math.Min(p.Done, task.MaxValue);
                        task.Description = $"{p.Check.ToString().ToLowerInvariant()}: {Markup.Escape(p.Note)}";
                    });
                    await foreach (StressResult result in StressRunner.RunAsync(options, progress, token).ConfigureAwait(false))
                    {
                        tasks[result.Check].Value = tasks[result.Check].MaxValue;
                        tasks[result.Check].StopTask();
                        results.Add(result);
                    }
                }).ConfigureAwait(false);
            }
            else
            {
                var lastTenth = new Dictionary<StressCheck, int>();
                var progress = new SynchronousProgress(p =>
                {
                    int tenth = p.Total <= 0 ? 0 : (int)(10 * p.Done / p.Total);
                    if (!lastTenth.TryGetValue(p.Check, out int last) || tenth > last)
                    {
                        lastTenth[p.Check] = tenth;
                        console.Raw(string.Create(CultureInfo.InvariantCulture, $"  {p.Check.ToString().ToLowerInvariant(),-8} {tenth * 10,3}%  {p.Note}"));
                    }
                });
                await foreach (StressResult result in StressRunner.RunAsync(options, progress, token).ConfigureAwait(false))
                {
                    results.Add(result);
                }
            }

            foreach (StressResult r in results)
            {
                console.Raw($"{(r.Error is not null ? "ERROR" : r.Passed ? "PASS " : "FAIL ")} stress.{r.Check.ToString().ToLowerInvariant()} ({r.Duration.TotalSeconds:0.0} s): {r.Summary}");
                foreach (string failure in r.Failures)
                {
                    console.Raw("      " + failure);
                }

                if (r.ReproductionFile is { } file)
                {
                    console.Raw($"      reproduction: {file}");
                }
            }

            var report = new StressReport(display, profileName, theSeed, results, rerun) { Started = started, LoadBefore = loadBefore, LoadAfter = StressReport.ReadLoad() };
            report.WriteJson(Path.Combine(reports, "report.json"));
            File.WriteAllText(Path.Combine(reports, "summary.md"), report.ToMarkdown("confkit stress"));
            if (parse.GetValue(reliability) is { } doc)
            {
                File.WriteAllText(doc, report.ToMarkdown("Reliability figures") + ReliabilityNote);
            }

            console.Raw($"reports: {Path.Combine(reports, "report.json")}, {Path.Combine(reports, "summary.md")}");
            console.Raw($"rerun: {rerun}");
            int passed = results.Count(r => r.Passed), errors = results.Count(r => r.Error is not null);
            console.Raw($"{passed} passed, {results.Count - passed} failed, 0 skipped");
            return errors > 0 ? ExitCodes.UsageOrEnvironment : report.Passed ? ExitCodes.Conformant : ExitCodes.NonConformant;
        }));
        return command;
    }

    private const string ReliabilityNote =
        "\n## How these figures were made\n\n" +
        "`confkit stress --profile long` (see `confkit stress --help`). Every figure depends on the machine and its load, given above: " +
        "compare runs made side by side on one machine, not across machines. The crash check kills the server with SIGKILL (a process crash, " +
        "not a power loss); its target directory is on the disk, the other checks' on tmpfs (`/dev/shm`) so that fsync does not dominate.\n";

    private static IReadOnlyList<StressCheck> Checks(string[] only)
    {
        if (only.Length == 0)
        {
            return [StressCheck.Crash, StressCheck.Fuzz, StressCheck.Attack, StressCheck.Hygiene];
        }

        var checks = new List<StressCheck>();
        foreach (string name in only.SelectMany(o => o.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)))
        {
            checks.Add(Enum.TryParse(name, ignoreCase: true, out StressCheck check) && Enum.IsDefined(check)
                ? check
                : throw new UsageException($"--only: unknown check '{name}'; expected crash, fuzz, attack or hygiene."));
        }

        return [.. checks.Distinct()];
    }

    private static string Rerun(KitIo io, string? server, string profile, int seed, string[]? only, double? ratio, double? floor)
    {
        var words = new List<string> { "--profile", profile, "--seed", seed.ToString(CultureInfo.InvariantCulture) };
        // The verdict's limits too, so the rerun judges the figures as this run did.
        if (ratio is { } r)
        {
            words.AddRange(["--latency-ratio", r.ToString(CultureInfo.InvariantCulture)]);
        }

        if (floor is { } f)
        {
            words.AddRange(["--latency-floor", f.ToString(CultureInfo.InvariantCulture)]);
        }

        if (server is not null)
        {
            words.AddRange(["--server", server]);
        }

        foreach (string check in only ?? [])
        {
            words.AddRange(["--only", check]);
        }

        string prefix = io.Environment(RunCommand.RerunPrefixVariable) is { Length: > 0 } fromScript
            ? fromScript + " stress"
            : ShellWords.Join(["dotnet", KitPaths.KitAssembly, "stress"]);
        return $"{prefix} {ShellWords.Join(words)}";
    }

    /// <summary>An <see cref="IProgress{T}"/> that reports on the caller's thread (Progress&lt;T&gt; would post to the pool).</summary>
    private sealed class SynchronousProgress(Action<StressProgress> report) : IProgress<StressProgress>
    {
        private readonly Lock _lock = new();

        public void Report(StressProgress value)
        {
            lock (_lock)
            {
                report(value);
            }
        }
    }
}
