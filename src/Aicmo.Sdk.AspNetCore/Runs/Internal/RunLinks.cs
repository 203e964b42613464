namespace Aicmo.Sdk.AspNetCore.Runs.Internal;

/// <summary>Where to read a run, follow its events over SSE, or over WebSocket.</summary>
internal sealed record RunLinks(string Self, string Events, string WebSocket);
