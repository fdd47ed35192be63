using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using ConfUpdate.Harness.Scenarios;
using ConfUpdate.Protocol;
using ConfUpdate.Harness.Probe;

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
        byte opcode = (byte)(spec.Opcode ?? op switch
        {
            "hello" => (int)Opcode.Hello,
            "replace" => (int)Opcode.Replace,
            _ => (int)Opcode.GetVersion,
        });
        uint id = spec.Id ?? context.NextRequestId();
        var prefix = new List<byte>(64)
        {
            (byte)(spec.Version ?? ProtocolLimits.Version),
            opcode,
        };
        var header = new byte[6];
        BinaryPrimitives.WriteUInt16BigEndian(header, (ushort)(spec.Flags ?? 0));
        BinaryPrimitives.WriteUInt32BigEndian(header.AsSpan(2), id);
        prefix.AddRange(header);

        byte[] name = spec.TargetHex is not null ? HexText.Parse(spec.TargetHex)
            : spec.Target is not null ? Encoding.UTF8.GetBytes(context.ConfiguredName(spec.Target)) : [];
        string targetText = spec.Target is not null ? context.ConfiguredName(spec.Target) : spec.TargetHex is not null ? "hex:" + spec.TargetHex : "";
        ContentSpec? content = spec.Content;
        int fill = 0;
        string? pattern = null;
        if (op != "hello")
        {
            prefix.Add((byte)(spec.NameLength ?? name.Length));
            prefix.AddRange(name);
        }

        if (op == "replace")
        {
            byte[]? expected = Expected(spec, context);
            prefix.Add((byte)(spec.Options ?? (expected is null ? 0 : RequestCodec.ReplaceHasExpectedVersion)));
            if (expected is not null)
            {
                prefix.AddRange(expected);
            }

            if (spec.Size is not null)
            {
                // The whole datagram is to be exactly this size: the content takes what the header leaves.
                int total = context.Sizes.Evaluate(spec.Size);
                int trailing = spec.TrailingHex is null ? 0 : HexText.Parse(spec.TrailingHex).Length;
                fill = Math.Max(0, total - prefix.Count - trailing);
                pattern = content?.Pattern ?? "lines";
            }
            else if (content is not null && content.IsPattern && spec.TrailingHex is null)
            {
                fill = content.Length(context.Sizes);
                pattern = content.Pattern;
            }
            else if (content is not null)
            {
                prefix.AddRange(content.Resolve(context.Sizes));
            }
        }

        if (spec.TrailingHex is not null)
        {
            if (fill > 0)
            {
                prefix.AddRange(Probe.Patterns.Make(pattern, fill));
                fill = 0;
            }

            prefix.AddRange(HexText.Parse(spec.TrailingHex));
        }

        byte[] prefixBytes = [.. prefix];
        if (spec.TruncateTo is { } cut)
        {
            byte[] all = [.. prefixBytes, .. Probe.Patterns.Make(pattern, fill)];
            prefixBytes = all[..Math.Min(cut, all.Length)];
            fill = 0;
        }

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
