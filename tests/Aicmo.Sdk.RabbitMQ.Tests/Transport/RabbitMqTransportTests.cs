using System.Collections.Concurrent;
using Aicmo.Sdk.RabbitMQ.Internal;
using Aicmo.Sdk.RabbitMQ.Tests.Support;
using Aicmo.Sdk.Testing.Contracts;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging.Abstractions;
using RabbitMQ.Client;

namespace Aicmo.Sdk.RabbitMQ.Tests.Transport;

[SkipWithoutRabbitMq]
public sealed class RabbitMqTransportTests : IAsyncLifetime
{
    private static readonly string[] Stages = ["score", "route"];
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private RabbitMqConnectionProvider _connections = null!;
    private RabbitMqBatchPublisher _publisher = null!;
    private readonly List<RabbitMqBatchConsumer> _consumers = [];

    public async Task InitializeAsync()
    {
        if (!RabbitMqTestBroker.IsConfigured && !RabbitMqTestBroker.IsCI)
        {
            return;
        }

        _connections = new RabbitMqConnectionProvider(RabbitMqTestBroker.NewOptions(o => o.MaxAttempts = 3));
        await DeclareAsync(_connections);
        _publisher = await RabbitMqBatchPublisher.CreateAsync(_connections, CancellationToken.None);
    }

    public async Task DisposeAsync()
    {
        if (_connections is null)
        {
            return;
        }

        foreach (var consumer in _consumers)
        {
            await consumer.DisposeAsync();
        }

        await _publisher.DisposeAsync();
        await RabbitMqTestBroker.DeleteTopologyAsync(_connections, Stages);
        await _connections.DisposeAsync();
    }

    [StoreFact]
    public async Task Declare_TwiceWithTheSameOptions_IsIdempotent_AndAConflictingQueueIsAClearError()
    {
        await DeclareAsync(_connections);

        var factory = new ConnectionFactory { Uri = RabbitMqTestBroker.Uri };
        await using var connection = await factory.CreateConnectionAsync();
        var other = new RabbitMqConnectionProvider(RabbitMqTestBroker.NewOptions(o => o.QueuePrefix = _connections.Options.QueuePrefix + "x"));
        await using (var channel = await connection.CreateChannelAsync())
        {
            // Someone else's classic queue under the name our stage queue would take.
            await channel.QueueDeclareAsync(other.Names.StageQueue("score"), durable: true, exclusive: false, autoDelete: false);
            await channel.CloseAsync();
        }

        try
        {
            var error = await Assert.ThrowsAsync<InvalidOperationException>(() => DeclareAsync(other));
            Assert.Contains("QueuePrefix", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            await RabbitMqTestBroker.DeleteTopologyAsync(other, Stages);
            await other.DisposeAsync();
        }
    }

    [StoreFact]
    public async Task PublishedBatches_AreEachHandledOnceAndAcknowledged_QueueEndsEmpty()
    {
        var handled = new ConcurrentDictionary<string, int>();
        var all = new TaskCompletionSource();
        const int count = 200;
        await StartConsumerAsync("score", (delivery, _) =>
        {
            handled.AddOrUpdate(delivery.Message.MessageId, 1, (_, n) => n + 1);
            if (handled.Count == count)
            {
                all.TrySetResult();
            }

            return Task.CompletedTask;
        });

        var runId = Guid.NewGuid();
        await Task.WhenAll(Enumerable.Range(0, count).Select(i => _publisher.PublishAsync(Batch(runId, i, "score"), CancellationToken.None)));
        await all.Task.WaitAsync(Patience);

        Assert.Equal(count, handled.Count);
        Assert.All(handled.Values, n => Assert.Equal(1, n));
        await WaitUntilAsync(async () => await RabbitMqTestBroker.DepthAsync(_connections, _connections.Names.StageQueue("score")) == 0);
        Assert.Equal(0L, await new RabbitMqParkingLot(_connections).CountAsync());
    }

    [StoreFact]
    public async Task PublishToAStageWithNoQueue_IsRefused_NotDroppedSilently()
    {
        await Assert.ThrowsAnyAsync<Exception>(() => _publisher.PublishAsync(Batch(Guid.NewGuid(), 1, "nowhere"), CancellationToken.None));
    }

    [StoreFact]
    public async Task AStageThatAlwaysFailsForOneBatch_ParksItAfterItsAttempts_OthersFlow_ReplayFinishesIt()
    {
        var poisoned = Guid.NewGuid();
        var fixedStage = false;
        var attemptsOfPoison = new ConcurrentBag<int>();
        var done = new ConcurrentDictionary<long, byte>();
        await StartConsumerAsync("route", (delivery, _) =>
        {
            if (delivery.Message.LeadIds.Contains(poisoned))
            {
                attemptsOfPoison.Add(delivery.Message.Attempt);
                if (!Volatile.Read(ref fixedStage))
                {
                    throw new InvalidOperationException("the routing table has no owner for this territory");
                }
            }

            done.TryAdd(delivery.Message.BatchId, 0);
            return Task.CompletedTask;
        });

        var runId = Guid.NewGuid();
        for (var i = 0; i < 20; i++)
        {
            var batch = Batch(runId, i, "route");
            await _publisher.PublishAsync(i == 7 ? batch with { LeadIds = [poisoned, .. batch.LeadIds] } : batch, CancellationToken.None);
        }

        var parkingLot = new RabbitMqParkingLot(_connections);
        await WaitUntilAsync(async () => done.Count == 19 && await parkingLot.CountAsync() == 1);
        Assert.Equal([0, 1, 2], attemptsOfPoison.Order());
        var parked = Assert.Single(await parkingLot.PeekAsync());
        Assert.Equal(7, parked.Message!.BatchId);
        Assert.Equal("route", parked.Stage);
        Assert.Contains("no owner for this territory", parked.Reason, StringComparison.Ordinal);
        Assert.Equal(1L, await parkingLot.CountAsync()); // peeking leaves it parked

        Volatile.Write(ref fixedStage, true);

        // The batch the peek read is returned to the quorum queue when the peek's channel closes, and the queue applies that
        // return through its log: it can be counted before a get sees it, so the replay is asked again until it has taken it.
        var replayed = 0;
        await WaitUntilAsync(async () => (replayed += await parkingLot.ReplayAsync()) >= 1);
        Assert.Equal(1, replayed);
        await WaitUntilAsync(() => Task.FromResult(done.Count == 20));
        Assert.Equal(0L, await parkingLot.CountAsync());
        Assert.Equal(4, attemptsOfPoison.Count);
    }

    [StoreFact]
    public async Task AConsumerStoppedWhileWorking_LeavesTheBatchUnacknowledged_AnotherGetsItAsARedelivery()
    {
        var started = new TaskCompletionSource<StageBatchDelivery>();
        await using var stopping = new RabbitMqConnectionProvider(_connections.Options);
        await using var stoppingPublisher = await RabbitMqBatchPublisher.CreateAsync(stopping, CancellationToken.None);
        var first = await RabbitMqBatchConsumer.StartAsync(stopping, stoppingPublisher, "score", async (delivery, ct) =>
        {
            started.TrySetResult(delivery);
            await Task.Delay(Timeout.Infinite, ct);
        }, NullLogger.Instance, CancellationToken.None);

        await _publisher.PublishAsync(Batch(Guid.NewGuid(), 1, "score"), CancellationToken.None);
        var firstDelivery = await started.Task.WaitAsync(Patience);
        Assert.False(firstDelivery.Redelivered);

        // The process stops in the middle of the batch: its handler is cancelled, and the delivery is never acknowledged.
        await first.DisposeAsync();

        var second = new TaskCompletionSource<StageBatchDelivery>();
        await StartConsumerAsync("score", (delivery, _) =>
        {
            second.TrySetResult(delivery);
            return Task.CompletedTask;
        });
        var redelivery = await second.Task.WaitAsync(Patience);
        Assert.Equal(firstDelivery.Message.MessageId, redelivery.Message.MessageId);
        Assert.True(redelivery.Redelivered || redelivery.DeliveryCount > 0);
        Assert.Equal(0L, await new RabbitMqParkingLot(_connections).CountAsync());
    }

    [StoreFact]
    public async Task HealthCheck_IsHealthyWithTheParkedCount_AndUnhealthyWhenTheBrokerCannotBeReached()
    {
        var healthy = await new RabbitMqHealthCheck(_connections).CheckHealthAsync(new HealthCheckContext());
        Assert.Equal(HealthStatus.Healthy, healthy.Status);
        Assert.Equal(0u, Convert.ToUInt32(healthy.Data["parked"], System.Globalization.CultureInfo.InvariantCulture));

        var closedPort = new UriBuilder(RabbitMqTestBroker.Uri) { Port = 1 }.Uri;
        await using var nowhere = new RabbitMqConnectionProvider(RabbitMqTestBroker.NewOptions(o => o.Uri = closedPort));
        var unhealthy = await new RabbitMqHealthCheck(nowhere).CheckHealthAsync(new HealthCheckContext());
        Assert.Equal(HealthStatus.Unhealthy, unhealthy.Status);
    }

    [StoreFact]
    public async Task BrokerRestartedWhileBatchesFlow_EveryBatchIsHandled()
    {
        var handled = new ConcurrentDictionary<long, byte>();
        await StartConsumerAsync("score", (delivery, _) =>
        {
            handled.TryAdd(delivery.Message.BatchId, 0);
            return Task.CompletedTask;
        });

        var runId = Guid.NewGuid();
        for (var i = 0; i < 50; i++)
        {
            await _publisher.PublishAsync(Batch(runId, i, "score"), CancellationToken.None);
        }

        await WaitUntilAsync(() => Task.FromResult(handled.Count == 50));
        await RabbitMqTestBroker.ControlAsync("stop_app");
        await RabbitMqTestBroker.ControlAsync("start_app");

        // The publisher's channel recovers with the connection; publish until the broker takes batches again.
        for (var i = 50; i < 100; i++)
        {
            await PublishWithRetriesAsync(Batch(runId, i, "score"));
        }

        await WaitUntilAsync(() => Task.FromResult(handled.Count == 100));
        Assert.Equal(Enumerable.Range(0, 100).Select(i => (long)i), handled.Keys.Order());
    }

    private async Task PublishWithRetriesAsync(StageBatchMessage message)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (true)
        {
            try
            {
                await _publisher.PublishAsync(message, CancellationToken.None);
                return;
            }
            catch (Exception) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(250);
            }
        }
    }

    private async Task StartConsumerAsync(string stage, Func<StageBatchDelivery, CancellationToken, Task> handler)
        => _consumers.Add(await RabbitMqBatchConsumer.StartAsync(_connections, _publisher, stage, handler, NullLogger.Instance, CancellationToken.None));

    private static async Task DeclareAsync(RabbitMqConnectionProvider connections)
    {
        var connection = await connections.GetAsync(CancellationToken.None);
        await using var channel = await connection.CreateChannelAsync();
        await RabbitMqTopology.DeclareAsync(channel, connections.Names, Stages, connections.Options.DeliveryLimit, CancellationToken.None);
        await channel.CloseAsync();
    }

    private static StageBatchMessage Batch(Guid runId, long batchId, string stage)
        => new(runId, "campaign-1", batchId, stage, 0, [Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid()]);

    private static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail("The condition did not hold within " + Patience + ".");
            }

            await Task.Delay(50);
        }
    }
}
