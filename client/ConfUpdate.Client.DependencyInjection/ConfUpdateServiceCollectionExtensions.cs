using ConfUpdate.Client;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

// In the container's namespace, as the framework's own Add… methods are: found without a using.
#pragma warning disable IDE0130
namespace Microsoft.Extensions.DependencyInjection;
#pragma warning restore IDE0130

/// <summary>Registers the ConfUpdate client in a service collection (ASP.NET Core, the generic host).</summary>
public static class ConfUpdateServiceCollectionExtensions
{
    /// <summary>
    /// Registers one shared <see cref="IConfUpdateClient"/> (a <see cref="ReconnectingConfUpdateClient"/>)
    /// with <see cref="ConfUpdateClientOptions"/> bound from <paramref name="configuration"/>
    /// (<c>SocketPath</c>, <c>RequestTimeout</c> such as <c>"00:00:10"</c>) and validated when the host
    /// starts. An unknown key in the section is an error, so a misspelt setting is not silently ignored.
    /// </summary>
    /// <example><c>builder.Services.AddConfUpdateClient(builder.Configuration.GetSection("ConfUpdate"));</c></example>
    public static IServiceCollection AddConfUpdateClient(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<ConfUpdateClientOptions>()
            .Bind(configuration, binder => binder.ErrorOnUnknownConfiguration = true)
            .ValidateOnStart();
        string sectionPath = configuration is IConfigurationSection section ? section.Path : "";
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ConfUpdateClientOptions>>(new ConfUpdateClientOptionsValidator(sectionPath)));
        services.TryAddSingleton<ReconnectingConfUpdateClient>();
        services.TryAddSingleton<IConfUpdateClient>(provider => provider.GetRequiredService<ReconnectingConfUpdateClient>());
        return services;
    }
}
