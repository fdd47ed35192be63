using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Configuration.EnvironmentVariables;
using Microsoft.Extensions.Configuration.Json;

namespace ConfUpdate.Server.Configuration;

/// <summary>
/// Checks what each configuration source puts beside the <c>ConfUpdate</c> section (SPEC CONF-3); inside the
/// section, <see cref="ConfigReader"/> checks every key.
/// </summary>
internal static class ConfigSources
{
    private static readonly string[] s_root = [ConfigDefaults.Section];

    /// <summary>
    /// A JSON file may hold only <c>ConfUpdate</c>. A <c>CONFUPDATE_X__Y</c> variable must be
    /// <c>CONFUPDATE_ConfUpdate__…</c>; a plain <c>CONFUPDATE_X</c> is some other program's (the client reads
    /// <c>CONFUPDATE_SOCKET</c>) and is left alone. The command line was checked by <c>ServerArguments</c>.
    /// </summary>
    /// <exception cref="ConfigException">A key outside the section, named with the file or variable it came from.</exception>
    public static void RequireOnlySection(IConfigurationRoot configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        foreach (IConfigurationProvider provider in configuration.Providers)
        {
            foreach (string key in provider.GetChildKeys([], null).Distinct(StringComparer.OrdinalIgnoreCase))
            {
                if (string.Equals(key, ConfigDefaults.Section, StringComparison.OrdinalIgnoreCase))
                {
                    continue;
                }

                switch (provider)
                {
                    case JsonConfigurationProvider json:
                        string file = json.Source.FileProvider?.GetFileInfo(json.Source.Path ?? "").PhysicalPath ?? json.Source.Path ?? "the file";
                        throw new ConfigException(key, null,
                            $"unknown key at the top of {file}; did you mean {Closest.To(key, s_root)}? (every key lives under \"{ConfigDefaults.Section}\")");
                    case EnvironmentVariablesConfigurationProvider when provider.GetChildKeys([], key).Any():
                        throw new ConfigException($"CONFUPDATE_{key}__…", null,
                            $"unknown key; did you mean CONFUPDATE_{Closest.To(key, s_root)}__…? (variables name keys under \"{ConfigDefaults.Section}\")");
                    default:
                        // The host's own settings (applicationName, contentRoot) and the command line's --config.
                        break;
                }
            }
        }
    }
}
