namespace Aicmo.Sdk.AspNetCore.Live.Internal;

/// <summary>
/// One message of a run's live stream, serialized once and shared by every subscriber: <see cref="Json"/> is
/// <c>{ "id", "type", "runId", "sessionId", "timestamp", "payload" }</c>, and the same text goes out over SSE and WebSocket.
/// </summary>
/// <param name="Id">The event's position in the run's stream, from 1; SSE sends it as the event id.</param>
/// <param name="Type"><c>agent_status</c>, <c>progress</c>, <c>complete</c>, or <c>gap</c> (events were dropped for a slow subscriber).</param>
/// <param name="Json">The message.</param>
/// <param name="Milestone">Whether it is kept for replay however many events follow (start, stage completions, completion).</param>
internal sealed record RunEventEnvelope(long Id, string Type, string Json, bool Milestone);
