using System.Diagnostics.Metrics;
using Aicmo.Sdk.RabbitMQ.Internal;
using Aicmo.Sdk.RabbitMQ.Tests.Support;
using Aicmo.Sdk.Storage;
using Aicmo.Sdk.Testing.Contracts;
using Microsoft.Extensions.DependencyInjection;

namespace Aicmo.Sdk.RabbitMQ.Tests.Transport;

/// <summary>
/// The transport's inbox on the real broker and PostgreSQL: a delivery whose message the store's inbox recorded as handled is
/// acknowledged and dropped, never handed to a run, retried or parked.
/// </summary>
[SkipWithoutRabbitMq]
public sealed class MessageInboxDeliveryTests
{
    [StoreFact]
    public async Task Delivery_OfAMessageTheInboxRecordedAsHandled_IsDroppedAndNeverParked()
    {
        await using var pipeline = new PipelineOverBroker(1);
        var services = pipeline.Services;
        var transport = services.GetRequiredService<RabbitMqLeadBatchTransport>();
        var inbox = services.GetRequiredService<IMessageInbox>();
        var stage = "inbox-" + Guid.NewGuid().ToString("N")[..8];
        var dropped = 0L;
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == "Aicmo.Pipeline" && instrument.Name == "aicmo.transport.dropped")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            foreach (var tag in tags)
            {
                if (tag.Key == "stage" && Equals(tag.Value, stage))
                {
                    Interlocked.Add(ref dropped, value);
                }
            }
        });
        listener.Start();

        // This process consumes the stage (for a run of its own); the message belongs to a run no process has open, which
        // without the inbox would be handed back with its attempt raised until it is parked.
        await using var open = await transport.OpenAsync(Guid.NewGuid(), "c", stage, CancellationToken.None);
        var message = new StageBatchMessage(Guid.NewGuid(), "c", 1, stage, 0, [Guid.NewGuid(), Guid.NewGuid()]);
        Assert.True(await inbox.TryRecordAsync(message.MessageId, DateTimeOffset.UtcNow));
        var connections = services.GetRequiredService<RabbitMqConnectionProvider>();
        await using (var publisher = await RabbitMqBatchPublisher.CreateAsync(connections, CancellationToken.None))
        {
            await publisher.PublishAsync(message, CancellationToken.None);
        }

        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (Interlocked.Read(ref dropped) == 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }

        Assert.Equal(1, Interlocked.Read(ref dropped));
        Assert.Equal(0, await services.GetRequiredService<RabbitMqParkingLot>().CountAsync());
    }
}
