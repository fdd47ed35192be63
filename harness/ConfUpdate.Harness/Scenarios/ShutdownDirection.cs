using System.Text.Json.Serialization;

namespace ConfUpdate.Harness.Scenarios;

/// <summary>The direction a <c>shutdown:</c> step shuts (shutdown(2)'s <c>how</c>).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ShutdownDirection>))]
public enum ShutdownDirection
{
    /// <summary>SHUT_RD.</summary>
    Read,

    /// <summary>SHUT_WR.</summary>
    Write,

    /// <summary>SHUT_RDWR.</summary>
    Both,
}
