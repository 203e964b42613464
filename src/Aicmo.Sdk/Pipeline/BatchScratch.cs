using System.Collections.Concurrent;
using Aicmo.Sdk.Domain;
using Aicmo.Sdk.Storage;

namespace Aicmo.Sdk.Pipeline;

/// <summary>What a stage worker keeps about the batch in hand, reused from batch to batch.</summary>
internal sealed class BatchScratch(int batchSize)
{
    /// <summary>Where each lead of the batch goes next, by its index in the batch.</summary>
    public readonly LeadDisposition[] Dispositions = new LeadDisposition[batchSize];

    /// <summary>The leads of the batch that reached an outcome, stored together.</summary>
    public readonly FinishingLeads Finishing = new(batchSize);

    /// <summary>The leads of the batch left pending (the run is stopping), checkpointed together.</summary>
    public readonly Batch<Lead> Pending = new(batchSize);

    /// <summary>The audit events of the batch's concurrent executions, appended with the worker's own once the batch is done.</summary>
    public readonly ConcurrentQueue<AuditEvent> ConcurrentEvents = new();

    /// <summary>
    /// Leads of the batch not yet counted anywhere (handed on, finished or pending): pending if the worker stops now. Only the
    /// worker changes it, once per step of the batch.
    /// </summary>
    public int Unaccounted;
}
