using System.Runtime.Versioning;
using System.Text.Json.Nodes;
using ConfUpdate.Harness.Environment;

namespace ConfUpdate.Harness.Tests.Environment;

[SupportedOSPlatform("linux")]
public sealed class KitConfigFileTests
{
    private static KitConfigFile Sample() =>
        new(
            new KitSocketConfig("/tmp/x/s.sock") { Mode = KitConfigFile.ParseMode("0666") },
            new KitAllowConfig { Users = ["www-data"], Groups = ["confkit-writers"], Uids = [0] },
            [
                new KitTargetConfig("site", "/tmp/x/site.conf")
                {
                    Owner = "root", Group = "www-data", Mode = KitConfigFile.ParseMode("0640"), MaxSize = 1000,
                    Validator = ["/bin/true", "{file}"],
                },
                new KitTargetConfig("plain", "/tmp/x/plain.conf"),
            ])
        {
            MaxRequestSize = 4096,
            Limits = new KitLimitsConfig { IdleTimeoutSeconds = 5 },
        };

    [TestCase(new string[0], "ConfUpdates")]
    [TestCase(new[] { "ConfUpdate", "Socket" }, "Mdoe")]
    [TestCase(new[] { "ConfUpdate", "Targets", "1" }, "Validtor")]
    public void ToJson_WithUnknownKey_AddsItUnderItsParentOnly(string[] parent, string name)
    {
        JsonNode document = JsonNode.Parse((Sample() with { UnknownKey = (parent, name) }).ToJson())!;

        JsonNode node = parent.Aggregate(document, (n, step) => int.TryParse(step, out int i) ? n[i]! : n[step]!);
        Assert.Multiple(() =>
        {
            Assert.That((string)node[name]!, Is.EqualTo("0600"));
            Assert.That(document.ToJsonString().Split(name).Length, Is.EqualTo(2), "added exactly once");
        });
    }

    [Test]
    public void ToJson_FollowsConf1Shape()
    {
        JsonNode root = JsonNode.Parse(Sample().ToJson())!["ConfUpdate"]!;

        Assert.Multiple(() =>
        {
            Assert.That((int)root["MaxRequestSize"]!, Is.EqualTo(4096));
            Assert.That((string)root["Socket"]!["Path"]!, Is.EqualTo("/tmp/x/s.sock"));
            Assert.That((string)root["Socket"]!["Mode"]!, Is.EqualTo("0666"));
            Assert.That((string)root["Allow"]!["Users"]![0]!, Is.EqualTo("www-data"));
            Assert.That((string)root["Allow"]!["Groups"]![0]!, Is.EqualTo("confkit-writers"));
            Assert.That((uint)root["Allow"]!["Uids"]![0]!, Is.Zero);
            Assert.That((int)root["Limits"]!["IdleTimeoutSeconds"]!, Is.EqualTo(5));
            Assert.That((string)root["Targets"]![0]!["Mode"]!, Is.EqualTo("0640"));
            Assert.That((string)root["Targets"]![0]!["Validator"]![1]!, Is.EqualTo("{file}"));
            Assert.That((int)root["Targets"]![0]!["MaxSize"]!, Is.EqualTo(1000));
        });
    }

    [Test]
    public void ToJson_OmitsUnsetSettings()
    {
        KitConfigFile config = Sample() with { MaxRequestSize = null, Limits = null };
        JsonNode root = JsonNode.Parse(config.ToJson())!["ConfUpdate"]!;
        JsonObject plain = root["Targets"]![1]!.AsObject();

        Assert.Multiple(() =>
        {
            Assert.That(root.AsObject().ContainsKey("MaxRequestSize"), Is.False);
            Assert.That(root.AsObject().ContainsKey("Limits"), Is.False);
            Assert.That(root.AsObject().ContainsKey("ServerName"), Is.False);
            Assert.That(plain.Select(p => p.Key), Is.EquivalentTo(new[] { "Name", "Path" }));
        });
    }

    [Test]
    public void WriteTo_WritesReadableFile()
    {
        string dir = Directory.CreateTempSubdirectory("confkit-conf-").FullName;
        try
        {
            string path = Path.Combine(dir, "config.json");

            Sample().WriteTo(path);

            Assert.That(File.GetUnixFileMode(path), Is.EqualTo(KitConfigFile.ParseMode("0644")));
            Assert.That(JsonNode.Parse(File.ReadAllText(path))!["ConfUpdate"]!["Targets"]!.AsArray(), Has.Count.EqualTo(2));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [TestCase("0660", "0660")]
    [TestCase("644", "0644")]
    [TestCase("4755", "4755")]
    public void ParseMode_FormatMode_RoundTrip(string input, string formatted)
    {
        Assert.That(KitConfigFile.FormatMode(KitConfigFile.ParseMode(input)), Is.EqualTo(formatted));
    }

    [TestCase("")]
    [TestCase("0698")]
    [TestCase("rw-r")]
    [TestCase("17777")]
    public void ParseMode_NotOctal_Throws(string input)
    {
        Assert.Throws<FormatException>(() => KitConfigFile.ParseMode(input));
    }
}
