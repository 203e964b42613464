using System.Text.Json;
using Aicmo.Sdk.RabbitMQ.Internal;
using Aicmo.Sdk.Storage;
using RabbitMQ.Client;

namespace Aicmo.Sdk.RabbitMQ;

/// <summary>
/// Reads and replays the batches the transport parked: a parked batch's leads are quarantined in the store with the reason
/// (<see cref="QuarantineAsync"/>, <see cref="QuarantineParkedAsync"/>), and after the stage that failed them was fixed,
/// <see cref="ReplayAsync"/> takes them out of quarantine and hands the batch to its stage again as a fresh attempt.
/// </summary>
public sealed class RabbitMqParkingLot
{
    private readonly RabbitMqConnectionProvider _connections;
    private readonly LeadQuarantine? _quarantine;

    internal RabbitMqParkingLot(RabbitMqConnectionProvider connections, LeadQuarantine? quarantine = null)
    {
        _connections = connections;
        _quarantine = quarantine;
    }

    /// <summary>How many batches are parked.</summary>
    public async Task<long> CountAsync(CancellationToken cancellationToken = default)
    {
        var connection = await _connections.GetAsync(cancellationToken).ConfigureAwait(false);
        await using var channel = await connection.CreateChannelAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        var ok = await channel.QueueDeclarePassiveAsync(_connections.Names.ParkingQueue, cancellationToken).ConfigureAwait(false);
        return ok.MessageCount;
    }

    /// <summary>Reads up to <paramref name="max"/> parked batches without taking them out of the parking queue.</summary>
    /// <remarks>
    /// The batches read are returned to the parking queue when the reading channel closes. The quorum queue applies that return
    /// through its log, so a <see cref="ReplayAsync"/> right after a peek may not see every batch yet: call it again.
    /// </remarks>
    public async Task<IReadOnlyList<ParkedBatch>> PeekAsync(int max = 100, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(max, 1);
        var connection = await _connections.GetAsync(cancellationToken).ConfigureAwait(false);
        var result = new List<ParkedBatch>();
        // Read without acknowledging, then close the channel: the broker puts every read message back.
        await using (var channel = await connection.CreateChannelAsync(cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            while (result.Count < max && await channel.BasicGetAsync(_connections.Names.ParkingQueue, autoAck: false, cancellationToken).ConfigureAwait(false) is { } got)
            {
                result.Add(Read(got));
            }

            await channel.CloseAsync(cancellationToken).ConfigureAwait(false);
        }

        return result;
    }

    /// <summary>
    /// Quarantines the leads of one parked batch with the reason it was parked (see <see cref="LeadQuarantine.QuarantineAsync"/>):
    /// leads still waiting for the stage become <c>Quarantined</c> with a fault of type
    /// <see cref="LeadQuarantine.ParkedErrorType"/>; the others are left as they are. The transport calls it when it parks a batch.
    /// </summary>
    /// <param name="batch">The parked batch.</param>
    /// <param name="reason">Why it was parked.</param>
    /// <param name="cancellationToken">A token to cancel the operation.</param>
    /// <returns>How many leads were quarantined by this call.</returns>
    /// <exception cref="InvalidOperationException">The parking lot was created without a store to quarantine leads in.</exception>
    public Task<int> QuarantineAsync(StageBatchMessage batch, string reason, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(batch);
        ArgumentNullException.ThrowIfNull(reason);
        return Quarantine.QuarantineAsync(batch.LeadIds, batch.RunId, batch.Stage, reason, batch.Attempt, cancellationToken);
    }

    /// <summary>
    /// Quarantines the leads of up to <paramref name="max"/> batches in the parking queue, leaving the batches parked. It catches
    /// the batches the broker parked by itself (its delivery limit, when consumers kept dying on a batch), which no consumer saw;
    /// leads already quarantined or moved on are left as they are, so calling it again changes nothing.
    /// </summary>
    /// <param name="max">The most parked batches to read.</param>
    /// <param name="cancellationToken">A token to cancel the operation.</param>
    /// <returns>How many leads were quarantined by this call.</returns>
    /// <exception cref="InvalidOperationException">The parking lot was created without a store to quarantine leads in.</exception>
    public async Task<int> QuarantineParkedAsync(int max = 1_000, CancellationToken cancellationToken = default)
    {
        var quarantine = Quarantine;
        var quarantined = 0;
        foreach (var parked in await PeekAsync(max, cancellationToken).ConfigureAwait(false))
        {
            if (parked.Message is { } batch)
            {
                quarantined += await quarantine.QuarantineAsync(batch.LeadIds, batch.RunId, batch.Stage, parked.Reason, batch.Attempt, cancellationToken).ConfigureAwait(false);
            }
        }

        return quarantined;
    }

    /// <summary>
    /// Hands up to <paramref name="max"/> parked batches to their stage again, each as a fresh attempt with its own message id,
    /// and returns how many were replayed. Before a batch is published, its leads quarantined when it was parked are taken back
    /// to the state the stage expects (see <see cref="LeadQuarantine.ReleaseAsync"/>). A parked body that is not a batch stays parked.
    /// </summary>
    public async Task<int> ReplayAsync(int max = 1_000, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(max, 1);
        var connection = await _connections.GetAsync(cancellationToken).ConfigureAwait(false);
        await using var publisher = await RabbitMqBatchPublisher.CreateAsync(_connections, cancellationToken).ConfigureAwait(false);
        await using var channel = await connection.CreateChannelAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        var replayed = 0;
        var seen = 0;
        while (seen < max && await channel.BasicGetAsync(_connections.Names.ParkingQueue, autoAck: false, cancellationToken).ConfigureAwait(false) is { } got)
        {
            seen++;
            var parked = Read(got);
            if (parked.Message is null)
            {
                continue; // left unacknowledged: back in the parking queue when the channel closes
            }

            if (_quarantine is not null)
            {
                await _quarantine.ReleaseAsync(parked.Message.LeadIds, parked.Message.RunId, parked.Message.Stage, cancellationToken).ConfigureAwait(false);
            }

            // A fresh attempt number above every earlier one keeps message ids unique per (run, batch, stage, attempt).
            await publisher.PublishAsync(parked.Message with { Attempt = parked.Message.Attempt + 1 }, cancellationToken).ConfigureAwait(false);
            await channel.BasicAckAsync(got.DeliveryTag, multiple: false, cancellationToken).ConfigureAwait(false);
            replayed++;
        }

        await channel.CloseAsync(cancellationToken).ConfigureAwait(false);
        return replayed;
    }

    private LeadQuarantine Quarantine => _quarantine
        ?? throw new InvalidOperationException("This parking lot has no lead store to quarantine leads in: create it with the pipeline's services (LeadQuarantine).");

    private static ParkedBatch Read(BasicGetResult got)
    {
        StageBatchMessage? message = null;
        try
        {
            message = JsonSerializer.Deserialize(got.Body.Span, StageBatchJsonContext.Default.StageBatchMessage);
        }
        catch (JsonException)
        {
        }

        var reason = RabbitMqHeaders.String(got.BasicProperties, RabbitMqNames.ParkReasonHeader)
            ?? RabbitMqHeaders.String(got.BasicProperties, "x-first-death-reason")
            ?? "unknown";
        var stage = message?.Stage ?? RabbitMqHeaders.String(got.BasicProperties, RabbitMqNames.StageHeader);
        return new ParkedBatch(message, stage, reason);
    }
}
