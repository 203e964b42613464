using Aicmo.Sdk.Domain;

namespace Aicmo.Sdk.Pipeline.Transport;

/// <summary>
/// How batches move within one run: from the sources to the dedup stage (candidates), and from each stage executor to the next
/// (leads). The executors and the worker loops see only the queues; which transport carries them is the runtime's choice
/// (<see cref="IStageTransportFactory"/>). The in-process transport (<see cref="ChannelStageTransport"/>) moves whole batches
/// through bounded channels; <see cref="StoredLeadTransport"/> moves lead ids through an <see cref="ILeadBatchTransport"/> and reads
/// the leads from the shared store.
/// </summary>
internal interface IStageTransport : IAsyncDisposable
{
    /// <summary>Opens what the queues need before the first batch moves (in process: nothing).</summary>
    ValueTask StartAsync(CancellationToken cancellationToken);

    /// <summary>Gets the dedup stage's input: candidates from the sources.</summary>
    IBatchQueue<SourcedCandidate> Candidates { get; }

    /// <summary>Gets the number of lead stages after dedup.</summary>
    int StageCount { get; }

    /// <summary>Gets the input of lead stage <paramref name="stage"/> (0 is the first stage after dedup).</summary>
    IBatchQueue<Lead> Stage(int stage);

    /// <summary>Gets the items queued in front of a slot: 0 for the dedup stage, <c>i + 1</c> for lead stage <c>i</c>.</summary>
    int Depth(int slot);
}
