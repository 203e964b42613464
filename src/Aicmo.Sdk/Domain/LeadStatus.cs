namespace Aicmo.Sdk.Domain;

/// <summary>The lifecycle state of a lead. A lead is in exactly one state at a time.</summary>
/// <remarks>Transitions between states are validated by <see cref="LeadStateMachine"/>.</remarks>
public enum LeadStatus
{
    /// <summary>Harvested from a source and given an identity; no stage has run yet.</summary>
    New = 0,

    /// <summary>Enrichment has filled in what it could.</summary>
    Enriched = 1,

    /// <summary>A score with its components has been computed.</summary>
    Scored = 2,

    /// <summary>Qualification accepted the lead.</summary>
    Qualified = 3,

    /// <summary>Qualification rejected the lead; the reasons are on the lead.</summary>
    Disqualified = 4,

    /// <summary>A person has to decide; the reasons are on the lead.</summary>
    ManualReview = 5,

    /// <summary>Routing assigned a team, an owner and a sequence.</summary>
    Routed = 6,

    /// <summary>At least one nurture email was accepted by the mail transport (or recorded in dry-run mode).</summary>
    Contacted = 7,

    /// <summary>The recipient replied.</summary>
    Replied = 8,

    /// <summary>The lead converted.</summary>
    Converted = 9,

    /// <summary>The recipient unsubscribed or is on the suppression list.</summary>
    Unsubscribed = 10,

    /// <summary>Mail to the recipient bounced.</summary>
    Bounced = 11,

    /// <summary>A stage kept failing for this lead; the stage, error type and message are on the lead.</summary>
    Quarantined = 12,
}
