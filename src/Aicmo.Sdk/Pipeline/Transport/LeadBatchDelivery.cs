namespace Aicmo.Sdk.Pipeline.Transport;

/// <summary>
/// One delivery of a <see cref="LeadIdBatch"/> to the process that works on it. The runner acknowledges it once the stage's
/// writes for the batch have committed and the leads that go on were published to the next stage; a delivery that is never
/// acknowledged (its process died, or the run closed its queue first) is delivered again by the transport.
/// </summary>
public abstract class LeadBatchDelivery
{
    /// <summary>Creates a delivery.</summary>
    /// <param name="batch">The batch.</param>
    /// <param name="attempt">The delivery attempt, from 1.</param>
    /// <param name="redelivered">Whether the batch was delivered before without being acknowledged.</param>
    /// <exception cref="ArgumentNullException"><paramref name="batch"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="attempt"/> is less than 1.</exception>
    protected LeadBatchDelivery(LeadIdBatch batch, int attempt, bool redelivered)
    {
        ArgumentNullException.ThrowIfNull(batch);
        ArgumentOutOfRangeException.ThrowIfLessThan(attempt, 1);
        Batch = batch;
        Attempt = attempt;
        Redelivered = redelivered;
    }

    /// <summary>Gets the batch.</summary>
    public LeadIdBatch Batch { get; }

    /// <summary>Gets the delivery attempt, from 1.</summary>
    public int Attempt { get; }

    /// <summary>
    /// Gets whether the batch was delivered before and that delivery was not acknowledged: the stage may have worked on some of
    /// its leads already. The runner skips the leads whose stored state shows they are past the stage.
    /// </summary>
    public bool Redelivered { get; }

    /// <summary>
    /// Acknowledges the delivery: the transport never delivers the batch again. Called once, after the stage's writes for the
    /// batch committed.
    /// </summary>
    /// <param name="cancellationToken">Cancels the acknowledgement; the batch is then delivered again.</param>
    public abstract ValueTask AcknowledgeAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Acknowledges the delivery of a batch of a run this process joined (see <see cref="ILeadBatchRunCoordinator"/>): the
    /// transport first sends <paramref name="report"/> to the process that started the run, then acknowledges. The default
    /// acknowledges without a report, for transports whose runs never leave their process.
    /// </summary>
    /// <param name="report">What the stage did with the batch.</param>
    /// <param name="cancellationToken">Cancels the acknowledgement; the batch is then delivered again.</param>
    public virtual ValueTask AcknowledgeAsync(LeadBatchReport report, CancellationToken cancellationToken) => AcknowledgeAsync(cancellationToken);
}
