using ConfUpdate.Harness.Environment;

namespace ConfUpdate.Harness.Tests.Environment;

public sealed class ShellWordsTests
{
    [Test]
    public void Split_QuotedWords_KeepsSpacesInsideQuotes()
    {
        IReadOnlyList<string> words = ShellWords.Split("dotnet '/stage dir/server.dll' --name \"a \\\"b\\\"\" c\\ d  ");

        Assert.That(words, Is.EqualTo(new[] { "dotnet", "/stage dir/server.dll", "--name", "a \"b\"", "c d" }));
    }

    [Test]
    public void Split_UnclosedQuote_Throws()
    {
        Assert.Throws<FormatException>(() => ShellWords.Split("python3 'oops"));
    }

    [TestCase("plain/path.dll", "plain/path.dll")]
    [TestCase("has space", "'has space'")]
    [TestCase("it's", "'it'\\''s'")]
    [TestCase("", "''")]
    public void Quote_ProducesShellSafeWord(string argument, string expected)
    {
        Assert.That(ShellWords.Quote(argument), Is.EqualTo(expected));
    }

    [Test]
    public void Quote_ThenSplit_RoundTrips()
    {
        string[] words = ["a b", "it's", "$HOME", "x\"y", "plain"];

        Assert.That(ShellWords.Split(ShellWords.Join(words)), Is.EqualTo(words));
    }

    [Test]
    public void ServerLaunch_ExpandCommand_SubstitutesPlaceholdersAfterSplitting()
    {
        var launch = new ServerLaunch("dotnet server.dll --config {config} --socket={socket}", "/tmp/a b/s.sock", "/tmp/a b/c.json");

        Assert.That(launch.ExpandCommand(), Is.EqualTo(new[] { "dotnet", "server.dll", "--config", "/tmp/a b/c.json", "--socket=/tmp/a b/s.sock" }));
    }
}
