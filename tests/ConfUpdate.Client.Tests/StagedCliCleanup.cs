namespace ConfUpdate.Client.Tests;

/// <summary>Deletes the CLI copy staged for runs as other accounts once every test of the assembly has run.</summary>
[SetUpFixture]
public sealed class StagedCliCleanup
{
    [OneTimeTearDown]
    public void DeleteStagedCli() => CliProcess.DeleteStagedCopy();
}
