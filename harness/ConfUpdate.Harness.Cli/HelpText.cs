namespace ConfUpdate.Harness.Cli;

/// <summary>The words around the generated option lists in --help: what the kit is, examples, exit codes.</summary>
internal static class HelpText
{
    public const string Root =
        "confkit: the ConfUpdate conformance kit. It starts a server under test as root, connects to it as real\n" +
        "Unix users (allowed, denied, group member, root...), runs the scenarios in scenarios/ and says,\n" +
        "requirement by requirement, where the server departs from docs/SPEC.md. Without a command it runs.\n\n" +
        "Examples:\n" +
        "  ./run-kit.sh                                   build, then run every MUST scenario against the reference server\n" +
        "  ./run-kit.sh --python                          ... against the Python example server\n" +
        "  confkit run --server \"/usr/bin/python3 examples/python-server/confupdate_server.py --config {config}\"\n" +
        "  confkit run --id size.datagram-max-accepted     run one scenario (its rerun line is printed on failure)\n" +
        "  confkit run --tag auth --strict                run a family, SHOULD-level scenarios included\n" +
        "  confkit list --tag sizes                       list scenarios (id, level, tags, requirements) without running\n" +
        "  confkit coverage                               which scenarios check each SPEC requirement\n\n" +
        "Needs root (users are switched with setpriv) or passwordless sudo (sudo -n -u); the accounts come from\n" +
        "scripts/setup-test-users.sh. Reports: report.json, junit.xml, summary.md in --report-dir.\n\n" +
        ExitCodes.HelpTable;

    public const string Run =
        "Run the selected scenarios against a server and write the reports. A line per scenario as it finishes,\n" +
        "details for each failure (expected vs actual, transcript, server stderr, a rerun command), a summary, and\n" +
        "as the last line exactly: N passed, N failed, N skipped  (failed counts errors too; skipped counts listed\n" +
        "expected failures that did fail). Exit codes: 0 conformant, 1 non-conformant, 2 usage/environment, 3 server failed.";

    public const string Stress =
        "Reliability checks against a server, each with servers of its own: crash consistency (SIGKILLs during\n" +
        "versioned REPLACEs), seeded fuzzing with a SPEC oracle on every reply, attacks (denied connect flood,\n" +
        "oversized floods, held connections) while an allowed client's latency is measured, and descriptor,\n" +
        "thread and memory hygiene after churn. Writes report.json and summary.md; prints a rerun line.\n" +
        "Examples:\n" +
        "  confkit stress                                   short profile against the reference server\n" +
        "  confkit stress --only fuzz --seed 42 --fuzz 1000000\n" +
        "  confkit stress --profile long --write-reliability docs/RELIABILITY.md\n" +
        "Exit codes: 0 every check passed, 1 a check failed, 2 usage or environment error.";

    public const string List =
        "List the selected scenarios without running them: id, level, tags, requirements.\n" +
        "Example: confkit list --tag sizes";

    public const string Coverage =
        "Print the requirement coverage matrix: each SPEC requirement with the scenarios that check it (MUST and\n" +
        "SHOULD level; narrow with --tag, --id...); uncovered requirements are listed and MUST ones flagged.\n" +
        "Example: confkit coverage --tag auth";
}
