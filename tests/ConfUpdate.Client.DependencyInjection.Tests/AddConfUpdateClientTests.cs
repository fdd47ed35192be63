using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ConfUpdate.Client.DependencyInjection.Tests;

/// <summary><c>services.AddConfUpdateClient(configuration.GetSection("ConfUpdate"))</c>: binding, validation, one shared client.</summary>
public sealed class AddConfUpdateClientTests
{
    private static ServiceProvider Build(Dictionary<string, string?> settings)
    {
        IConfiguration configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddConfUpdateClient(configuration.GetSection("ConfUpdate"));
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }

    [Test]
    public void AddConfUpdateClient_BindsSocketPathAndTimeoutFromConfiguration()
    {
        using ServiceProvider provider = Build(new()
        {
            ["ConfUpdate:SocketPath"] = "/run/app/confupdate.sock",
            ["ConfUpdate:RequestTimeout"] = "00:00:07",
        });

        ConfUpdateClientOptions options = provider.GetRequiredService<IOptions<ConfUpdateClientOptions>>().Value;
        var client = (ReconnectingConfUpdateClient)provider.GetRequiredService<IConfUpdateClient>();

        Assert.Multiple(() =>
        {
            Assert.That(options.SocketPath, Is.EqualTo("/run/app/confupdate.sock"));
            Assert.That(options.RequestTimeout, Is.EqualTo(TimeSpan.FromSeconds(7)));
            Assert.That(client.Options, Is.SameAs(options));
        });
    }

    [Test]
    public void AddConfUpdateClient_EmptySection_UsesTheDefaults()
    {
        using ServiceProvider provider = Build([]);

        ConfUpdateClientOptions options = provider.GetRequiredService<IOptions<ConfUpdateClientOptions>>().Value;

        Assert.Multiple(() =>
        {
            Assert.That(options.SocketPath, Is.EqualTo(ConfUpdateClientOptions.DefaultSocketPath));
            Assert.That(options.RequestTimeout, Is.EqualTo(ConfUpdateClientOptions.DefaultRequestTimeout));
        });
    }

    [Test]
    public void AddConfUpdateClient_RegistersOneSharedClient()
    {
        using ServiceProvider provider = Build([]);

        IConfUpdateClient first = provider.GetRequiredService<IConfUpdateClient>();
        IConfUpdateClient second = provider.GetRequiredService<IConfUpdateClient>();
        using IServiceScope scope = provider.CreateScope();

        Assert.Multiple(() =>
        {
            Assert.That(second, Is.SameAs(first));
            Assert.That(scope.ServiceProvider.GetRequiredService<IConfUpdateClient>(), Is.SameAs(first));
            Assert.That(provider.GetRequiredService<ReconnectingConfUpdateClient>(), Is.SameAs(first));
        });
    }

    [Test]
    public void AddConfUpdateClient_RelativeSocketPath_FailsValidationNamingTheKey()
    {
        using ServiceProvider provider = Build(new() { ["ConfUpdate:SocketPath"] = "run/confupdate.sock" });

        OptionsValidationException? error = Assert.Throws<OptionsValidationException>(
            () => _ = provider.GetRequiredService<IOptions<ConfUpdateClientOptions>>().Value);

        Assert.That(error!.Message, Does.Contain("ConfUpdate:SocketPath").And.Contain("absolute"));
    }

    [Test]
    public void AddConfUpdateClient_SocketPathLongerThanSunPath_FailsValidation()
    {
        using ServiceProvider provider = Build(new() { ["ConfUpdate:SocketPath"] = "/" + new string('s', 120) });

        OptionsValidationException? error = Assert.Throws<OptionsValidationException>(
            () => _ = provider.GetRequiredService<IOptions<ConfUpdateClientOptions>>().Value);

        Assert.That(error!.Message, Does.Contain("at most 107"));
    }

    [Test]
    public void AddConfUpdateClient_MisspeltKey_IsAnErrorNotIgnored()
    {
        using ServiceProvider provider = Build(new() { ["ConfUpdate:SocketPth"] = "/run/x.sock" });

        InvalidOperationException? error = Assert.Throws<InvalidOperationException>(
            () => _ = provider.GetRequiredService<IOptions<ConfUpdateClientOptions>>().Value);

        Assert.That(error!.Message, Does.Contain("SocketPth"));
    }

    [Test]
    public void AddConfUpdateClient_ValidatesWhenTheHostStarts()
    {
        using ServiceProvider provider = Build(new() { ["ConfUpdate:SocketPath"] = "relative.sock" });

        // What IHost.StartAsync runs for ValidateOnStart.
        IStartupValidator validator = provider.GetRequiredService<IStartupValidator>();

        Assert.Throws<OptionsValidationException>(validator.Validate);
    }
}
