using Aicmo.Sdk.Domain;

namespace Aicmo.Sdk.Pipeline;

/// <summary>
/// What one worker of one stage owns: its counter block, the audit events of the batch in hand, and the token source that a
/// stage's first attempt runs under. The source is linked to the run's token once and reused from lead to lead; its timer is
/// armed only when an attempt does not complete synchronously, so a stage that answers at once costs no timer and no
/// registration (see <c>benchmarks/results/RunnerSplit-before-after.md</c> for what arming one per attempt cost).
/// </summary>
/// <remarks>Used by one worker at a time: neither the counters nor the token source are safe for concurrent callers.</remarks>
internal sealed class StageWorker(WorkerCounters counters, TimeProvider time, Batch<AuditEvent>? audit = null, bool measuresBusy = true) : IDisposable
{
    private CancellationTokenSource? _attempt;
    private CancellationTokenRegistration _link;
    private CancellationToken _linkedTo;

    public WorkerCounters Counters { get; } = counters;

    /// <summary>Gets the audit events of the batch in hand, appended together once the batch is done; <see langword="null"/> when
    /// each event is appended as it happens.</summary>
    public Batch<AuditEvent>? Audit { get; } = audit;

    /// <summary>Gets whether the executor adds each execution's duration to the worker's busy time; a worker that runs whole
    /// batches measures the batch instead.</summary>
    public bool MeasuresBusy { get; } = measuresBusy;

    /// <summary>
    /// Returns the token for the next attempt: cancelled when <paramref name="cancellationToken"/> is, and after
    /// <see cref="ArmTimeout"/> when the timeout passes.
    /// </summary>
    public CancellationToken AttemptToken(CancellationToken cancellationToken)
    {
        var attempt = _attempt;
        if (attempt is null || _linkedTo != cancellationToken || (attempt.IsCancellationRequested && !cancellationToken.IsCancellationRequested))
        {
            attempt = Renew(cancellationToken);
        }

        return attempt.Token;
    }

    /// <summary>Starts the attempt's timer; called once the attempt is known to be asynchronous.</summary>
    public void ArmTimeout(TimeSpan timeout) => _attempt!.CancelAfter(timeout);

    /// <summary>Gets whether the current attempt's token has been cancelled (by its timer or by the run).</summary>
    public bool AttemptCancelled => _attempt?.IsCancellationRequested == true;

    /// <summary>Stops the timer after an armed attempt, so the source serves the next one; replaces it when it already fired.</summary>
    public void Disarm()
    {
        if (_attempt is { } attempt && !attempt.TryReset())
        {
            Drop();
        }
    }

    public void Dispose() => Drop();

    private CancellationTokenSource Renew(CancellationToken cancellationToken)
    {
        Drop();
        var attempt = new CancellationTokenSource(Timeout.InfiniteTimeSpan, time);
        _link = cancellationToken.UnsafeRegister(static s => ((CancellationTokenSource)s!).Cancel(), attempt);
        _linkedTo = cancellationToken;
        _attempt = attempt;
        return attempt;
    }

    private void Drop()
    {
        // The link goes first: disposing it waits for a cancellation callback in flight, which must not see a disposed source.
        _link.Dispose();
        _link = default;
        _attempt?.Dispose();
        _attempt = null;
    }
}
