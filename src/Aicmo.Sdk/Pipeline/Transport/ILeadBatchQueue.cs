using System.Threading.Channels;

namespace Aicmo.Sdk.Pipeline.Transport;

/// <summary>
/// The input of one stage of one run in a transport across processes (see <see cref="ILeadBatchTransport"/>): batches of lead
/// ids are published to it, and the batches delivered to this process come out of <see cref="Deliveries"/>. Disposing it
/// hands every delivery that was not acknowledged back to the transport, which delivers it again.
/// </summary>
public interface ILeadBatchQueue : IAsyncDisposable
{
    /// <summary>Gets the batches delivered to this process, in the order the transport hands them over.</summary>
    ChannelReader<LeadBatchDelivery> Deliveries { get; }

    /// <summary>
    /// Publishes a batch; completes once the transport holds it durably (a broker's publisher confirm), so a crash after it
    /// returns does not lose the batch.
    /// </summary>
    /// <param name="batch">The batch.</param>
    /// <param name="cancellationToken">Cancels the publish; the batch may or may not have been taken.</param>
    ValueTask PublishAsync(LeadIdBatch batch, CancellationToken cancellationToken);
}
