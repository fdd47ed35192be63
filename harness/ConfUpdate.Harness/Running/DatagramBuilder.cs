using System.Globalization;
using System.Text;
using ConfUpdate.Harness.Probe;
using ConfUpdate.Harness.Scenarios;
using ConfUpdate.Protocol;

namespace ConfUpdate.Harness.Running;

/// <summary>Builds the bytes of a scenario datagram: a request from fields with raw overrides, or raw bytes.</summary>
internal static class DatagramBuilder
{
    public static (ProbeDatagram Datagram, uint Id, string Summary) Build(Scenarios.DatagramSpec spec, ScenarioContext context)
    {
        if (spec.Empty)
        {
            return (new ProbeDatagram(), 0u, "0B empty datagram");
        }

        if (spec.Hex is not null)
        {
            byte[] bytes = HexText.Parse(spec.Hex);
            return (new ProbeDatagram { Prefix = bytes }, 0u, $"{bytes.Length}B raw hex {Convert.ToHexStringLower(bytes.AsSpan(0, Math.Min(bytes.Length, 16)))}");
        }

        if (spec.Raw is not null)
        {
            int n = spec.Raw.Length(context.Sizes);
            return spec.Raw.IsPattern
                ? (new ProbeDatagram { Fill = n, Pattern = spec.Raw.Pattern }, 0u, $"{n}B raw {spec.Raw.Pattern ?? "counter"}")
                : (new ProbeDatagram { Prefix = spec.Raw.Resolve(context.Sizes) }, 0u, $"{n}B raw");
        }

        string op = spec.Op ?? (spec.Target is not null || spec.TargetHex is not null ? "replace" : "hello");
        Opcode layout = OpcodeInfo.TryParseWireName(op, out Opcode parsed) ? parsed : Opcode.GetVersion;
        uint id = spec.Id ?? context.NextRequestId();
        byte[] name = spec.TargetHex is not null ? HexText.Parse(spec.TargetHex)
            : spec.Target is not null ? Encoding.UTF8.GetBytes(context.ConfiguredName(spec.Target)) : [];
        string targetText = spec.Target is not null ? context.ConfiguredName(spec.Target) : spec.TargetHex is not null ? "hex:" + spec.TargetHex : "";
        var request = new RawRequest(layout, id)
        {
            Version = (byte)(spec.Version ?? ProtocolLimits.Version),
            OpcodeByte = (byte?)spec.Opcode,
            Flags = (ushort)(spec.Flags ?? 0),
            Name = name,
            NameLength = (byte?)spec.NameLength,
            Options = (byte?)spec.Options,
            ExpectedVersion = layout == Opcode.Replace ? Expected(spec, context) : null,
            Trailing = spec.TrailingHex is null ? ReadOnlyMemory<byte>.Empty : HexText.Parse(spec.TrailingHex),
            TruncateTo = spec.TruncateTo,
        };
        byte[] head = RequestWriter.Head(request);

        // A large pattern content is left for the probe to fill (it never crosses the kit's pipe), unless bytes
        // follow it or the datagram is cut, when it is materialized here.
        ContentSpec? content = spec.Content;
        int fill = 0;
        string? pattern = null;
        if (layout == Opcode.Replace)
        {
            if (spec.Size is not null)
            {
                // The whole datagram is to be exactly this size: the content takes what the header leaves.
                fill = Math.Max(0, context.Sizes.Evaluate(spec.Size) - head.Length - request.Trailing.Length);
                pattern = content?.Pattern ?? "lines";
            }
            else if (content is not null && content.IsPattern && spec.TrailingHex is null)
            {
                fill = content.Length(context.Sizes);
                pattern = content.Pattern;
            }
            else if (content is not null)
            {
                request = request with { Content = content.Resolve(context.Sizes) };
            }
        }

        if (fill > 0 && (spec.TrailingHex is not null || spec.TruncateTo is not null))
        {
            request = request with { Content = Probe.Patterns.Make(pattern, fill) };
            fill = 0;
        }

        byte[] prefixBytes = fill > 0 ? head : RequestWriter.Write(request);
        var datagram = new ProbeDatagram { Prefix = prefixBytes, Fill = fill, Pattern = pattern };
        string summary = string.Create(CultureInfo.InvariantCulture,
            $"{datagram.Length}B {op} id={id}{(targetText.Length > 0 ? " target=" + targetText : "")}{(spec.Version is not null ? $" version={spec.Version}" : "")}{(spec.Opcode is not null ? $" opcode=0x{spec.Opcode:x2}" : "")}{(spec.Flags is not null ? $" flags={spec.Flags}" : "")}");
        return (datagram, id, summary);
    }

    /// <summary>The bytes a REPLACE of <paramref name="spec"/> would install, for checks on content.</summary>
    public static byte[]? ContentOf(Scenarios.DatagramSpec spec, ScenarioContext context) =>
        spec.Content?.Resolve(context.Sizes);

    private static byte[]? Expected(Scenarios.DatagramSpec spec, ScenarioContext context)
    {
        if (spec.ExpectedContent is not null)
        {
            return ContentVersion.Of(spec.ExpectedContent.Resolve(context.Sizes)).Bytes.ToArray();
        }

        return spec.Expected switch
        {
            null => null,
            "absent" => ContentVersion.Absent.Bytes.ToArray(),
            "current" => context.CurrentVersion(spec.Target ?? "t").Bytes.ToArray(),
            var hex => ContentVersion.Parse(hex).Bytes.ToArray(),
        };
    }
}
