using System.Text.Json.Serialization;

namespace ConfUpdate.Harness.Scenarios;

/// <summary>What a <c>server:</c> step does to the server under test.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ServerAction>))]
public enum ServerAction
{
    /// <summary>SIGKILL.</summary>
    Kill,

    /// <summary>SIGTERM, then wait for the exit (up to the scenario's shutdown grace).</summary>
    Terminate,

    /// <summary>Start it again (after kill or terminate).</summary>
    Start,

    /// <summary>SIGKILL, then start.</summary>
    Restart,
}
