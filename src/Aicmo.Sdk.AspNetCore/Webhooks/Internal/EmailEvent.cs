namespace Aicmo.Sdk.AspNetCore.Webhooks.Internal;

/// <summary>
/// One mail event: what happened (<c>bounce</c>, <c>complaint</c>, <c>reply</c>, <c>unsubscribe</c>) and to whom, by lead id
/// (the <c>X-Aicmo-Lead</c> the provider echoes) or by address (every campaign's lead with it, or only <see cref="CampaignId"/>'s).
/// </summary>
internal sealed record EmailEvent
{
    /// <summary>Gets the provider's id of the event, echoed in the response.</summary>
    public string? Id { get; init; }

    /// <summary>Gets what happened.</summary>
    public string? Type { get; init; }

    /// <summary>Gets the lead, when the provider knows it.</summary>
    public Guid? LeadId { get; init; }

    /// <summary>Gets the recipient's address.</summary>
    public string? Email { get; init; }

    /// <summary>Gets the campaign to look the address up in, or <see langword="null"/> for every campaign.</summary>
    public string? CampaignId { get; init; }

    /// <summary>Gets when it happened, as the provider says.</summary>
    public DateTimeOffset? OccurredAt { get; init; }
}
