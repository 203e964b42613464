namespace Aicmo.Sdk.Pipeline.Transport;

/// <summary>
/// What a process that joined a run did with one delivered batch, sent to the process that started the run before the delivery
/// is acknowledged (see <see cref="LeadBatchDelivery.AcknowledgeAsync(LeadBatchReport, CancellationToken)"/>). The starting
/// process counts the first report of each (stage, batch) and drops the others, waits for the batches named in
/// <see cref="HandedOn"/> before it finishes the next stages, and adds the counts to the run's progress. The run's final
/// outcome counts are read from the store, so a report lost in a crash costs progress detail, not correctness.
/// </summary>
/// <param name="RunId">The run.</param>
/// <param name="Stage">The stage that worked on the batch.</param>
/// <param name="BatchId">The delivered batch's number.</param>
/// <param name="HandedOn">The batches published on while working on it (to the next stage, or further for leads found ahead).</param>
/// <param name="Counts">What the stage did with the batch's leads.</param>
/// <param name="Quarantined">
/// The leads the stage quarantined, with their faults; the starting process raises a <see cref="LeadQuarantined"/> event for each
/// on the first report of the batch. Null from a process that does not send them.
/// </param>
public sealed record LeadBatchReport(
    Guid RunId,
    string Stage,
    long BatchId,
    IReadOnlyList<LeadBatchHandOn> HandedOn,
    LeadBatchCounts Counts,
    IReadOnlyList<LeadBatchQuarantine>? Quarantined = null);
