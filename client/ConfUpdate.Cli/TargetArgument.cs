using System.CommandLine;
using System.Text;
using ConfUpdate.Protocol;

namespace ConfUpdate.Cli;

/// <summary>The &lt;target&gt; argument: a configured target name (SPEC TGT-1), 1 to 255 UTF-8 bytes.</summary>
internal static class TargetArgument
{
    public static Argument<string> Create()
    {
        var argument = new Argument<string>("target")
        {
            Description = "A target name from the server's configuration (not a path)",
        };
        argument.Validators.Add(result =>
        {
            string? name = result.GetValueOrDefault<string>();
            int bytes = name is null ? 0 : Encoding.UTF8.GetByteCount(name);
            if (bytes is 0 or > ProtocolLimits.MaxTargetNameBytes)
            {
                result.AddError($"A target name has 1 to {ProtocolLimits.MaxTargetNameBytes} UTF-8 bytes; got {bytes}.");
            }
        });
        return argument;
    }
}
