using Aicmo.Sdk.Domain;
using Aicmo.Sdk.Storage;

namespace Aicmo.Sdk.Pipeline;

/// <summary>The buffers one dedup worker reuses from batch to batch.</summary>
internal sealed class DedupScratch(int batchSize)
{
    public Lead[] Created { get; } = new Lead[batchSize];

    public bool[] Identified { get; } = new bool[batchSize];

    public bool[] Added { get; } = new bool[batchSize];

    /// <summary>Gets, per candidate, its index among the leads created, or -1 for a candidate rejected at intake.</summary>
    public int[] Slots { get; } = new int[batchSize];

    public Batch<RejectedCandidate> Rejected { get; } = new(batchSize);

    public Batch<AuditEvent> Events { get; } = new(batchSize * 2);

    /// <summary>
    /// How many candidates of the batch in hand were counted as duplicates or rejected at intake: decided, so they are not
    /// pending should the rest of the batch fail (recording the new leads' events, for one).
    /// </summary>
    public int Duplicates { get; set; }
}
