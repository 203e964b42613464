namespace Aicmo.Sdk.Nurture;

/// <summary>What an unsubscribe token was signed for.</summary>
/// <param name="LeadId">The lead.</param>
/// <param name="CampaignId">The lead's campaign.</param>
/// <param name="ExpiresAt">When the token stops being accepted.</param>
public sealed record UnsubscribeTokenPayload(Guid LeadId, string CampaignId, DateTimeOffset ExpiresAt);
