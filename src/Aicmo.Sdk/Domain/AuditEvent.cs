namespace Aicmo.Sdk.Domain;

/// <summary>One state change of one lead: who moved it, from where, to where, why and when.</summary>
/// <param name="LeadId">The lead.</param>
/// <param name="CampaignId">The lead's campaign.</param>
/// <param name="RunId">The run during which the change happened.</param>
/// <param name="Sequence">The lead's version after the change; orders a lead's trail without gaps.</param>
/// <param name="Stage">The stage that made the change.</param>
/// <param name="From">The previous state, or <see langword="null"/> for the event that created the lead.</param>
/// <param name="To">The new state.</param>
/// <param name="Reason">Why, in words a person can read.</param>
/// <param name="Timestamp">When, from the pipeline's <see cref="TimeProvider"/>.</param>
public sealed record AuditEvent(
    Guid LeadId,
    string CampaignId,
    Guid RunId,
    long Sequence,
    string Stage,
    LeadStatus? From,
    LeadStatus To,
    string Reason,
    DateTimeOffset Timestamp);
