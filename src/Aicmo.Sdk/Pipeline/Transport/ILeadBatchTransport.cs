namespace Aicmo.Sdk.Pipeline.Transport;

/// <summary>
/// A transport that moves a run's batches between its stages across processes, as lead ids: the leads live in the shared store,
/// each stage's writes are committed before the batch goes on, and the consumer reads the leads back from the store. Register
/// one in the container (the RabbitMQ package's <c>UseRabbitMQ</c> does) and the pipeline uses it for every run after dedup;
/// without one, batches move through bounded in-process channels. The dedup stage's input (candidates from the sources) stays
/// in the process that harvests, and dry runs always run in process.
/// </summary>
/// <remarks>
/// The transport decides nothing about leads: the runner stores a batch's leads (a compare-and-set per lead) before
/// publishing it, skips on delivery the leads whose stored state is already past the stage (a batch delivered again), and
/// acknowledges a delivery only after the stage's writes committed. Delivery is at least once; effects stay exactly once
/// through the stores' compare-and-set and the email outbox.
/// </remarks>
public interface ILeadBatchTransport
{
    /// <summary>Opens the input of one stage for one run in this process.</summary>
    /// <param name="runId">The run.</param>
    /// <param name="campaignId">The run's campaign.</param>
    /// <param name="stage">The stage's name (see <see cref="Stages.StageNames"/>, or a custom stage's name).</param>
    /// <param name="cancellationToken">Cancels opening.</param>
    /// <returns>The queue; the runner disposes it when the run ends.</returns>
    ValueTask<ILeadBatchQueue> OpenAsync(Guid runId, string campaignId, string stage, CancellationToken cancellationToken);
}
