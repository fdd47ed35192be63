using System.Text.Json.Nodes;

namespace ConfUpdate.Cli;

/// <summary>A command that worked: one line for humans, one JSON object for scripts (--json).</summary>
internal sealed record Success(string Text, JsonObject Json);
