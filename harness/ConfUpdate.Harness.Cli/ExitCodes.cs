namespace ConfUpdate.Harness.Cli;

/// <summary>The one place that maps a run's end to the process exit code (documented in --help and README.md).</summary>
internal static class ExitCodes
{
    /// <summary>Every selected scenario passed (or is a listed expected failure): the implementation conforms.</summary>
    public const int Conformant = 0;

    /// <summary>Some scenario failed: the server departs from SPEC.md (or, with --fail-on-unexpected-pass, a listed failure passed).</summary>
    public const int NonConformant = 1;

    /// <summary>Usage or environment error: bad options, a bad scenario or expected-failures file, users cannot be switched, not built.</summary>
    public const int UsageOrEnvironment = 2;

    /// <summary>The server under test failed to start or died.</summary>
    public const int ServerFailed = 3;

    /// <summary>Interrupted by Ctrl-C or SIGTERM (128 + SIGINT, as shells report it); processes and temp files were cleaned up.</summary>
    public const int Interrupted = 130;

    /// <summary>The table printed under --help.</summary>
    public const string HelpTable =
        "Exit codes:\n" +
        "  0    conformant: every selected scenario passed (listed expected failures excused)\n" +
        "  1    non-conformant: some scenario failed (the server departs from docs/SPEC.md)\n" +
        "  2    usage or environment error: bad option, bad scenario file, cannot switch users, not built\n" +
        "  3    the server under test failed to start or died\n" +
        "  130  interrupted (Ctrl-C); processes and temporary files are cleaned up";
}
