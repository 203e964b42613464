namespace Aicmo.Sdk.Pipeline.Transport;

/// <summary>
/// One batch of leads on its way to a stage, as a transport across processes carries it: the leads travel as ids, since they
/// live in the shared store, and the consumer reads them from there.
/// </summary>
/// <param name="RunId">The run the batch belongs to.</param>
/// <param name="CampaignId">The run's campaign.</param>
/// <param name="BatchId">The batch's number, unique within the run: a batch delivered again keeps it.</param>
/// <param name="Stage">The name of the stage that is to work on the batch.</param>
/// <param name="LeadIds">The leads of the batch.</param>
public sealed record LeadIdBatch(Guid RunId, string CampaignId, long BatchId, string Stage, IReadOnlyList<Guid> LeadIds);
