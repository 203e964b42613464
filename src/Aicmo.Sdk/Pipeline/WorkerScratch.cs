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

    /// <summary>Leads of the batch not yet counted anywhere (handed on, finished or pending): pending if the worker stops now.</summary>
    /// <remarks>Concurrent executions of the batch's leads decrement it, so it is changed with <see cref="Interlocked"/>.</remarks>
    public int Unaccounted;

    /// <summary>Notes where the lead at <paramref name="index"/> goes; a pending lead is already counted (by the executor, or by the caller).</summary>
    public void Record(int index, LeadDisposition disposition)
    {
        Dispositions[index] = disposition;
        if (disposition == LeadDisposition.Pending)
        {
            Interlocked.Decrement(ref Unaccounted);
        }
    }

    /// <summary>The audit events of the batch's concurrent executions, appended with the worker's own once the batch is done.</summary>
    public readonly ConcurrentQueue<AuditEvent> ConcurrentEvents = new();
}

/// <summary>Leads that reached an outcome, collected to be stored with one <see cref="ILeadRepository.UpdateManyAsync"/> call.</summary>
internal sealed class FinishingLeads(int capacity)
{
    private readonly LeadUpdate[] _updates = new LeadUpdate[capacity];
    private readonly bool[] _results = new bool[capacity];

    public int Count { get; private set; }

    public ReadOnlyMemory<LeadUpdate> Updates => _updates.AsMemory(0, Count);

    public Memory<bool> Results => _results.AsMemory(0, Count);

    public Lead Lead(int index) => _updates[index].Lead;

    public void Add(Lead lead) => _updates[Count++] = new LeadUpdate(lead, lead.StoredVersion);

    public void Clear()
    {
        Array.Clear(_updates, 0, Count);
        Count = 0;
    }
}
