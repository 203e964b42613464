using System.Collections.Concurrent;
using Aicmo.Sdk.Domain;
using Aicmo.Sdk.Stages;
using Aicmo.Sdk.Storage;

namespace Aicmo.Sdk.Pipeline;

/// <summary>
/// The per-run state of one stage: its context, its counters, and what its workers share: the spare worker states for
/// executions run concurrently, and the permits that bound them once the stage has been seen to complete asynchronously.
/// </summary>
internal sealed class StageRunState(StageContext context, StageCounters counters, Action<Lead, LeadFault> onQuarantined, int parallelism)
{
    private readonly ConcurrentBag<StageWorker> _spares = [];
    private volatile bool _asynchronous;

    public StageContext Context { get; } = context;

    public StageCounters Counters { get; } = counters;

    public Action<Lead, LeadFault> OnQuarantined { get; } = onQuarantined;

    /// <summary>
    /// Gets the permits of the stage's concurrent executions: once the stage has completed asynchronously, its workers run the
    /// leads of a batch concurrently (an I/O-bound stage must not wait for a whole batch one lead at a time), at most
    /// the stage's parallelism at once across all of them.
    /// </summary>
    public SemaphoreSlim Permits { get; } = new(parallelism, parallelism);

    /// <summary>Gets whether the stage has completed asynchronously in this run; from then on its leads run concurrently.</summary>
    public bool Asynchronous => _asynchronous;

    public void MarkAsynchronous() => _asynchronous = true;

    /// <summary>Creates the state of one more worker of this stage; the worker disposes it when it stops.</summary>
    /// <param name="batchSize">The batch size: a worker given one collects the audit events of a batch, to append them together;
    /// without one, each event is appended when it happens.</param>
    public StageWorker CreateWorker(int batchSize = 0) =>
        new(Counters.AddWorker(), Context.TimeProvider, batchSize > 0 ? new Batch<AuditEvent>(batchSize * 2) : null, measuresBusy: batchSize <= 1);

    /// <summary>
    /// Takes a worker state for a concurrent execution; hand it back with <see cref="Return"/>. It collects the audit events
    /// of its execution (see <see cref="StageWorker.Audit"/>): the caller appends them, or hands them to who does.
    /// </summary>
    public StageWorker Rent() => _spares.TryTake(out var worker) ? worker : CreateWorker(batchSize: 1);

    public void Return(StageWorker worker) => _spares.Add(worker);

    /// <summary>Disposes the spare worker states and the permits once the run's workers have stopped.</summary>
    public void DisposeSpares()
    {
        while (_spares.TryTake(out var worker))
        {
            worker.Dispose();
        }

        Permits.Dispose();
    }
}
