namespace Aicmo.Sdk.RabbitMQ;

/// <summary>
/// One batch of leads on its way to a stage: the leads travel as ids (they live in the shared store), so a message stays small
/// whatever the leads hold.
/// </summary>
/// <param name="RunId">The run the batch belongs to.</param>
/// <param name="CampaignId">The run's campaign.</param>
/// <param name="BatchId">The batch's number within the run, unique per run.</param>
/// <param name="Stage">The stage that is to work on the batch.</param>
/// <param name="Attempt">How many times the batch was tried at this stage before (0 on the first delivery).</param>
/// <param name="LeadIds">The leads of the batch.</param>
public sealed record StageBatchMessage(Guid RunId, string CampaignId, long BatchId, string Stage, int Attempt, IReadOnlyList<Guid> LeadIds)
{
    /// <summary>
    /// The message's id, one per (run, batch, stage, attempt): a redelivery of the same attempt carries the same id, so a
    /// consumer's inbox can drop it cheaply.
    /// </summary>
    public string MessageId => $"{RunId:N}.{BatchId}.{Stage}.{Attempt}";
}
