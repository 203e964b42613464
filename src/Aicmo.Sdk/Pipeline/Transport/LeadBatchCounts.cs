namespace Aicmo.Sdk.Pipeline.Transport;

/// <summary>What one stage did with the leads of one delivered batch, for the run's progress.</summary>
/// <param name="In">Leads the stage worked on.</param>
/// <param name="Out">Leads handed on to the next stage.</param>
/// <param name="Disqualified">Leads stored disqualified.</param>
/// <param name="ManualReview">Leads stored for manual review.</param>
/// <param name="Routed">Leads stored routed (and not contacted).</param>
/// <param name="Contacted">Leads stored contacted.</param>
/// <param name="Suppressed">Leads stored unsubscribed or bounced.</param>
/// <param name="Quarantined">Leads stored quarantined.</param>
/// <param name="Stored">Leads stored in an unfinished state at the last stage of a run that ends early.</param>
/// <param name="Pending">Leads left where they were (a write that lost its compare-and-set, or the process stopping).</param>
public sealed record LeadBatchCounts(
    long In, long Out, long Disqualified, long ManualReview, long Routed, long Contacted, long Suppressed, long Quarantined, long Stored, long Pending);
