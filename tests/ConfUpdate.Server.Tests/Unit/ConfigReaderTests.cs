using ConfUpdate.Server.Configuration;
using Microsoft.Extensions.Configuration;

namespace ConfUpdate.Server.Tests.Unit;

/// <summary>SPEC CONF-1 parsing and CONF-2 messages: every error names the key and the offending value.</summary>
public sealed class ConfigReaderTests
{
    private const uint OwnUid = 4242;
    private const uint OwnGid = 4343;
    private string _directory = null!;

    [SetUp]
    public void CreateDirectory() => _directory = Directory.CreateTempSubdirectory("confupdate-config-").FullName;

    [TearDown]
    public void RemoveDirectory() => Directory.Delete(_directory, recursive: true);

    [Test]
    public void Read_MinimalConfig_AppliesSpecDefaults()
    {
        ServerConfig config = Read(Minimal());

        TargetConfig target = config.Targets.Single();
        Assert.Multiple(() =>
        {
            Assert.That(config.MaxRequestSize, Is.EqualTo(65536));
            Assert.That(config.ServerName, Is.EqualTo("confupdate-reference"));
            Assert.That(config.Socket.Mode, Is.EqualTo((UnixFileMode)0b110_110_000));
            Assert.That(config.Socket.Owner, Is.EqualTo(OwnUid));
            Assert.That(config.Socket.Group, Is.EqualTo(OwnGid));
            Assert.That(target.Mode, Is.EqualTo((UnixFileMode)0b110_100_000));
            Assert.That(target.Owner, Is.EqualTo(OwnUid));
            Assert.That(target.MaxSize, Is.EqualTo(65536 - (8 + 1 + 255 + 1 + 32)));
            Assert.That(target.Validator, Is.Null);
            Assert.That(config.Limits.IdleTimeout, Is.EqualTo(TimeSpan.FromSeconds(30)));
            Assert.That(config.Limits.MaxConnections, Is.EqualTo(64));
            Assert.That(config.Limits.MaxConnectionsPerUid, Is.EqualTo(8));
            Assert.That(config.Limits.ShutdownGrace, Is.EqualTo(TimeSpan.FromSeconds(10)));
            Assert.That(config.Limits.ValidatorTimeout, Is.EqualTo(TimeSpan.FromSeconds(10)));
        });
    }

    [Test]
    public void Read_NamesAndNumericIds_ResolveToIds()
    {
        Dictionary<string, string?> values = Minimal();
        values["ConfUpdate:Allow:Users:0"] = "root";
        values["ConfUpdate:Allow:Uids:0"] = "33";
        values["ConfUpdate:Allow:Groups:0"] = "root";
        values["ConfUpdate:Allow:Groups:1"] = "1234";
        values["ConfUpdate:Targets:0:Owner"] = "0";
        values["ConfUpdate:Targets:0:Group"] = "root";

        ServerConfig config = Read(values);

        Assert.Multiple(() =>
        {
            Assert.That(config.Access.AllowedUids, Is.EquivalentTo(new uint[] { 0, 33 }));
            Assert.That(config.Access.AllowedGids, Is.EquivalentTo(new uint[] { 0, 1234 }));
            Assert.That(config.Targets[0].Owner, Is.Zero);
            Assert.That(config.Targets[0].Group, Is.Zero);
        });
    }

    [Test]
    public void Read_KeysInAnyCase_AreAccepted()
    {
        Dictionary<string, string?> values = Minimal();
        values["confupdate:maxrequestsize"] = "4096";
        values["CONFUPDATE:limits:idletimeoutseconds"] = "5";

        Assert.That(Read(values).MaxRequestSize, Is.EqualTo(4096));
    }

    // SPEC CONF-3: a misspelt key in a root service's security configuration is an error, never ignored.
    [TestCase("ConfUpdate:Alow:Users:0", "ConfUpdate:Alow", "ConfUpdate:Allow")]
    [TestCase("ConfUpdate:Socket:Mdoe", "ConfUpdate:Socket:Mdoe", "ConfUpdate:Socket:Mode")]
    [TestCase("ConfUpdate:Allow:User:0", "ConfUpdate:Allow:User", "ConfUpdate:Allow:Users")]
    [TestCase("ConfUpdate:Limits:IdelTimeoutSeconds", "ConfUpdate:Limits:IdelTimeoutSeconds", "ConfUpdate:Limits:IdleTimeoutSeconds")]
    [TestCase("ConfUpdate:Targets:0:Validtor:0", "ConfUpdate:Targets:0:Validtor", "ConfUpdate:Targets:0:Validator")]
    public void Read_UnknownKey_FailsNamingItAndTheClosestValidKey(string setKey, string reportedKey, string suggestion)
    {
        Dictionary<string, string?> values = Minimal();
        values[setKey] = "0600";

        ConfigException ex = Fails(values);

        Assert.Multiple(() =>
        {
            Assert.That(ex.Key, Is.EqualTo(reportedKey));
            Assert.That(ex.Message, Does.StartWith($"{reportedKey}: unknown key; did you mean {suggestion}?"));
        });
    }

    [Test]
    public void Read_NamedChildUnderAList_FailsSayingItIsAList()
    {
        Dictionary<string, string?> values = Minimal();
        values["ConfUpdate:Allow:Users:first"] = "www-data";

        ConfigException ex = Fails(values);

        Assert.That(ex.Message, Is.EqualTo("ConfUpdate:Allow:Users:first: unknown key: ConfUpdate:Allow:Users is a list (JSON array), not an object"));
    }

    [Test]
    public void Read_Validator_KeepsArgumentVector()
    {
        Dictionary<string, string?> values = Minimal();
        values["ConfUpdate:Targets:0:Validator:0"] = "/usr/sbin/visudo";
        values["ConfUpdate:Targets:0:Validator:1"] = "-cf";
        values["ConfUpdate:Targets:0:Validator:2"] = "{file}";

        Assert.That(Read(values).Targets[0].Validator, Is.EqualTo(new[] { "/usr/sbin/visudo", "-cf", "{file}" }));
    }

    [Test]
    public void Read_UnknownUser_NamesKeyValueAndProblem()
    {
        Dictionary<string, string?> values = Minimal();
        values["ConfUpdate:Allow:Users:0"] = "no-such-user-confkit";

        ConfigException error = Fails(values);

        Assert.That(error.Message, Is.EqualTo("ConfUpdate:Allow:Users:0 = \"no-such-user-confkit\": no such user"));
    }

    [Test]
    public void Read_UnknownGroup_NamesKeyValueAndProblem()
    {
        Dictionary<string, string?> values = Minimal();
        values["ConfUpdate:Socket:Group"] = "no-such-group-confkit";

        ConfigException error = Fails(values);

        Assert.That(error.Message, Is.EqualTo("ConfUpdate:Socket:Group = \"no-such-group-confkit\": no such group"));
    }

    [Test]
    public void Read_MalformedMode_NamesKeyAndValue()
    {
        Dictionary<string, string?> values = Minimal();
        values["ConfUpdate:Targets:0:Mode"] = "0999";

        ConfigException error = Fails(values);

        Assert.Multiple(() =>
        {
            Assert.That(error.Key, Is.EqualTo("ConfUpdate:Targets:0:Mode"));
            Assert.That(error.Message, Does.StartWith("ConfUpdate:Targets:0:Mode = \"0999\": not an octal mode"));
        });
    }

    [Test]
    public void Read_MissingTargetDirectory_NamesPathKey()
    {
        Dictionary<string, string?> values = Minimal();
        values["ConfUpdate:Targets:0:Path"] = Path.Combine(_directory, "absent", "site.conf");

        ConfigException error = Fails(values);

        Assert.Multiple(() =>
        {
            Assert.That(error.Key, Is.EqualTo("ConfUpdate:Targets:0:Path"));
            Assert.That(error.Problem, Does.Contain("does not exist"));
        });
    }

    [Test]
    public void Read_DuplicateTargetNames_NamesSecondOccurrence()
    {
        Dictionary<string, string?> values = Minimal();
        values["ConfUpdate:Targets:1:Name"] = "site";
        values["ConfUpdate:Targets:1:Path"] = Path.Combine(_directory, "other.conf");

        ConfigException error = Fails(values);

        Assert.That(error.Message, Is.EqualTo("ConfUpdate:Targets:1:Name = \"site\": duplicate target name (also ConfUpdate:Targets:0:Name)"));
    }

    [Test]
    public void Read_NamesDifferingOnlyInCase_AreDistinctTargets()
    {
        Dictionary<string, string?> values = Minimal();
        values["ConfUpdate:Targets:1:Name"] = "SITE";
        values["ConfUpdate:Targets:1:Path"] = Path.Combine(_directory, "other.conf");

        Assert.That(Read(values).Targets.Select(t => t.Name), Is.EqualTo(new[] { "site", "SITE" }));
    }

    [Test]
    public void Read_TwoTargetsOnOneFile_Fails()
    {
        Dictionary<string, string?> values = Minimal();
        values["ConfUpdate:Targets:1:Name"] = "alias";
        values["ConfUpdate:Targets:1:Path"] = values["ConfUpdate:Targets:0:Path"];

        Assert.That(Fails(values).Key, Is.EqualTo("ConfUpdate:Targets:1:Path"));
    }

    [TestCase("2047")]
    [TestCase("0")]
    [TestCase("lots")]
    public void Read_MaxRequestSizeInvalid_Fails(string value)
    {
        Dictionary<string, string?> values = Minimal();
        values["ConfUpdate:MaxRequestSize"] = value;

        ConfigException error = Fails(values);

        Assert.That(error.Message, Does.StartWith($"ConfUpdate:MaxRequestSize = \"{value}\""));
    }

    [Test]
    public void Read_MaxRequestSizeAtMinimum_IsAccepted()
    {
        Dictionary<string, string?> values = Minimal();
        values["ConfUpdate:MaxRequestSize"] = "2048";

        Assert.That(Read(values).MaxRequestSize, Is.EqualTo(2048));
    }

    [Test]
    public void Read_TargetNameOver255Bytes_Fails()
    {
        Dictionary<string, string?> values = Minimal();
        values["ConfUpdate:Targets:0:Name"] = new string('é', 128); // 256 UTF-8 bytes

        Assert.That(Fails(values).Problem, Does.Contain("1 to 255"));
    }

    [Test]
    public void Read_TargetWithoutName_Fails()
    {
        Dictionary<string, string?> values = Minimal();
        values.Remove("ConfUpdate:Targets:0:Name");

        Assert.That(Fails(values).Message, Is.EqualTo("ConfUpdate:Targets:0:Name: missing: every target needs a name"));
    }

    [Test]
    public void Read_RelativeTargetPath_Fails()
    {
        Dictionary<string, string?> values = Minimal();
        values["ConfUpdate:Targets:0:Path"] = "site.conf";

        Assert.That(Fails(values).Key, Is.EqualTo("ConfUpdate:Targets:0:Path"));
    }

    [Test]
    public void Read_ValidatorNotAbsolute_Fails()
    {
        Dictionary<string, string?> values = Minimal();
        values["ConfUpdate:Targets:0:Validator:0"] = "visudo";

        Assert.That(Fails(values).Key, Is.EqualTo("ConfUpdate:Targets:0:Validator:0"));
    }

    [TestCase("IdleTimeoutSeconds", "0")]
    [TestCase("ValidatorTimeoutSeconds", "-1")]
    [TestCase("MaxConnections", "0")]
    [TestCase("MaxConnectionsPerUid", "many")]
    public void Read_InvalidLimit_NamesLimitKey(string key, string value)
    {
        Dictionary<string, string?> values = Minimal();
        values[$"ConfUpdate:Limits:{key}"] = value;

        Assert.That(Fails(values).Key, Is.EqualTo($"ConfUpdate:Limits:{key}"));
    }

    [Test]
    public void Read_FractionalSeconds_AreAccepted()
    {
        Dictionary<string, string?> values = Minimal();
        values["ConfUpdate:Limits:IdleTimeoutSeconds"] = "0.5";

        Assert.That(Read(values).Limits.IdleTimeout, Is.EqualTo(TimeSpan.FromMilliseconds(500)));
    }

    [Test]
    public void Read_SocketDirectoryMissing_Fails()
    {
        Dictionary<string, string?> values = Minimal();
        values["ConfUpdate:Socket:Path"] = Path.Combine(_directory, "absent", "s.sock");

        Assert.That(Fails(values).Key, Is.EqualTo("ConfUpdate:Socket:Path"));
    }

    [Test]
    public void Read_ScalarWhereListBelongs_Fails()
    {
        Dictionary<string, string?> values = Minimal();
        values["ConfUpdate:Allow:Users"] = "www-data";

        Assert.That(Fails(values).Problem, Does.Contain("list"));
    }

    private Dictionary<string, string?> Minimal() => new()
    {
        ["ConfUpdate:Socket:Path"] = Path.Combine(_directory, "s.sock"),
        ["ConfUpdate:Targets:0:Name"] = "site",
        ["ConfUpdate:Targets:0:Path"] = Path.Combine(_directory, "site.conf"),
    };

    private static ServerConfig Read(Dictionary<string, string?> values)
    {
        IConfigurationRoot root = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        return ConfigReader.Read(root.GetSection("ConfUpdate"), OwnUid, OwnGid);
    }

    private static ConfigException Fails(Dictionary<string, string?> values) =>
        Assert.Throws<ConfigException>(() => Read(values))!;
}
