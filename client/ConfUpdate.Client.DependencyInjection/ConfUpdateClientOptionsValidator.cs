using System.Text;
using Microsoft.Extensions.Options;

namespace ConfUpdate.Client;

/// <summary>Checks bound <see cref="ConfUpdateClientOptions"/> at start-up, naming the configuration key at fault.</summary>
internal sealed class ConfUpdateClientOptionsValidator(string sectionPath) : IValidateOptions<ConfUpdateClientOptions>
{
    /// <summary>sun_path is 108 bytes on Linux, one of them the terminating NUL.</summary>
    private const int MaxSocketPathBytes = 107;

    public ValidateOptionsResult Validate(string? name, ConfUpdateClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        string path = options.SocketPath;
        if (!path.StartsWith('/'))
        {
            failures.Add($"{Key(nameof(options.SocketPath))} must be an absolute path to the server's socket; got '{path}'.");
        }
        else if (Encoding.UTF8.GetByteCount(path) > MaxSocketPathBytes)
        {
            failures.Add($"{Key(nameof(options.SocketPath))} is {Encoding.UTF8.GetByteCount(path)} bytes; an AF_UNIX socket path is at most {MaxSocketPathBytes}.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private string Key(string property) => sectionPath.Length == 0 ? property : $"{sectionPath}:{property}";
}
