using System.Text.Json;
using Aicmo.Sdk.RabbitMQ.Internal;
using RabbitMQ.Client;

namespace Aicmo.Sdk.RabbitMQ;

/// <summary>
/// Reads and replays the batches the transport parked: after the stage that failed them was fixed, <see cref="ReplayAsync"/>
/// hands them to their stage again as a fresh attempt.
/// </summary>
public sealed class RabbitMqParkingLot
{
    private readonly RabbitMqConnectionProvider _connections;

    internal RabbitMqParkingLot(RabbitMqConnectionProvider connections) => _connections = connections;

    /// <summary>How many batches are parked.</summary>
    public async Task<long> CountAsync(CancellationToken cancellationToken = default)
    {
        var connection = await _connections.GetAsync(cancellationToken).ConfigureAwait(false);
        await using var channel = await connection.CreateChannelAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        var ok = await channel.QueueDeclarePassiveAsync(_connections.Names.ParkingQueue, cancellationToken).ConfigureAwait(false);
        return ok.MessageCount;
    }

    /// <summary>Reads up to <paramref name="max"/> parked batches without taking them out of the parking queue.</summary>
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
    /// Hands up to <paramref name="max"/> parked batches to their stage again, each as a fresh attempt with its own message id,
    /// and returns how many were replayed. A parked body that is not a batch stays parked.
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

            // A fresh attempt number above every earlier one keeps message ids unique per (run, batch, stage, attempt).
            await publisher.PublishAsync(parked.Message with { Attempt = parked.Message.Attempt + 1 }, cancellationToken).ConfigureAwait(false);
            await channel.BasicAckAsync(got.DeliveryTag, multiple: false, cancellationToken).ConfigureAwait(false);
            replayed++;
        }

        await channel.CloseAsync(cancellationToken).ConfigureAwait(false);
        return replayed;
    }

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
