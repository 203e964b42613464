namespace Aicmo.Sdk.AspNetCore.Webhooks.Internal;

/// <summary>The body of <c>POST /webhooks/email-events</c>: up to <see cref="EmailEventEndpoints.MaxEvents"/> events.</summary>
internal sealed record EmailEventBatch
{
    /// <summary>Gets the events, applied in order.</summary>
    public IReadOnlyList<EmailEvent>? Events { get; init; }
}
