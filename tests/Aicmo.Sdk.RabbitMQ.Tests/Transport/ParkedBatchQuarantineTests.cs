using System.Collections.Concurrent;
using Aicmo.Sdk.Domain;
using Aicmo.Sdk.RabbitMQ.Internal;
using Aicmo.Sdk.RabbitMQ.Tests.Support;
using Aicmo.Sdk.Storage;
using Aicmo.Sdk.Testing.Contracts;
using Microsoft.Extensions.Logging.Abstractions;
using RabbitMQ.Client;

namespace Aicmo.Sdk.RabbitMQ.Tests.Transport;

/// <summary>A parked batch's leads are quarantined in the PostgreSQL store with the reason, and a replay releases and finishes them.</summary>
[SkipWithoutRabbitMqAndPostgreSql]
public sealed class ParkedBatchQuarantineTests : IAsyncLifetime
{
    private const string Stage = "enrich";
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private RabbitMqConnectionProvider _connections = null!;
    private RabbitMqBatchPublisher _publisher = null!;
    private RabbitMqBatchConsumer? _consumer;
    private PostgreSqlTestStore _store = null!;

    public async Task InitializeAsync()
    {
        if (!RabbitMqTestBroker.IsCI && (!RabbitMqTestBroker.IsConfigured || !PostgreSqlTestStore.IsConfigured))
        {
            return;
        }

        _store = new PostgreSqlTestStore();
        _connections = new RabbitMqConnectionProvider(RabbitMqTestBroker.NewOptions(o => o.MaxAttempts = 3));
        var connection = await _connections.GetAsync(CancellationToken.None);
        await using (var channel = await connection.CreateChannelAsync())
        {
            await RabbitMqTopology.DeclareAsync(channel, _connections.Names, [Stage], _connections.Options.DeliveryLimit, CancellationToken.None);
            await channel.CloseAsync();
        }

        _publisher = await RabbitMqBatchPublisher.CreateAsync(_connections, CancellationToken.None);
    }

    public async Task DisposeAsync()
    {
        if (_connections is null)
        {
            return;
        }

        if (_consumer is not null)
        {
            await _consumer.DisposeAsync();
        }

        await _publisher.DisposeAsync();
        await RabbitMqTestBroker.DeleteTopologyAsync(_connections, [Stage]);
        await _connections.DisposeAsync();
        await _store.DisposeAsync();
    }

    [StoreFact]
    public async Task AStageThatAlwaysThrowsForOneLead_ItsBatchIsParkedAndItsLeadsQuarantinedWithTheReason_ReplayAfterTheFixFinishesThem()
    {
        var leads = _store.Get<ILeadRepository>();
        var campaign = ContractTestData.NewCampaignId("parked");
        var runId = Guid.NewGuid();
        var stored = Enumerable.Range(0, 12).Select(i => ContractTestData.NewLead(campaign, $"e:lead{i}@example.com")).ToArray();
        foreach (var lead in stored)
        {
            Assert.True(await leads.TryAddAsync(lead));
        }

        var poisoned = stored[4].Id;
        var fixedStage = false;
        var enriched = new ConcurrentDictionary<Guid, byte>();

        // The stage: enriches each lead of the batch with a compare-and-set write, and throws for the poisoned lead until fixed.
        _consumer = await RabbitMqBatchConsumer.StartAsync(_connections, _publisher, Stage, async (delivery, ct) =>
        {
            if (delivery.Message.LeadIds.Contains(poisoned) && !Volatile.Read(ref fixedStage))
            {
                throw new InvalidOperationException("the enrichment vendor rejects this lead's domain");
            }

            foreach (var id in delivery.Message.LeadIds)
            {
                var lead = (await leads.GetAsync(id, ct))!;
                if (lead.Status == LeadStatus.New)
                {
                    var expected = lead.Version;
                    lead.TransitionTo(LeadStatus.Enriched, DateTimeOffset.UtcNow);
                    Assert.True(await leads.UpdateAsync(lead, expected, ct));
                }

                enriched.TryAdd(id, 0);
            }
        }, NullLogger.Instance, CancellationToken.None);

        for (var b = 0; b < 4; b++)
        {
            var ids = stored.Skip(b * 3).Take(3).Select(l => l.Id).ToArray();
            await _publisher.PublishAsync(new StageBatchMessage(runId, campaign, b, Stage, 0, ids), CancellationToken.None);
        }

        var parkingLot = new RabbitMqParkingLot(_connections, _store.Get<LeadQuarantine>());
        await WaitUntilAsync(async () => enriched.Count == 9 && await parkingLot.CountAsync() == 1);

        // The transport quarantines a parked batch's leads; the broker's own parking is caught by reading the parking queue.
        Assert.Equal(3, await parkingLot.QuarantineParkedAsync());
        Assert.Equal(0, await parkingLot.QuarantineParkedAsync());

        var parkedIds = stored.Skip(3).Take(3).Select(l => l.Id).ToArray();
        foreach (var id in parkedIds)
        {
            var lead = (await leads.GetAsync(id))!;
            Assert.Equal(LeadStatus.Quarantined, lead.Status);
            Assert.Equal(LeadQuarantine.ParkedErrorType, lead.Fault!.ErrorType);
            Assert.Equal(Stage, lead.Fault.Stage);
            Assert.Contains("enrichment vendor rejects", lead.Fault.Message, StringComparison.Ordinal);
            var moved = Assert.Single(await _store.Get<IAuditLog>().ReadAsync(id), e => e.To == LeadStatus.Quarantined);
            Assert.Equal(LeadStatus.New, moved.From);
            Assert.Equal(runId, moved.RunId);
        }

        foreach (var other in stored.Select(l => l.Id).Except(parkedIds))
        {
            Assert.Equal(LeadStatus.Enriched, (await leads.GetAsync(other))!.Status);
        }

        Volatile.Write(ref fixedStage, true);
        Assert.Equal(1, await parkingLot.ReplayAsync());
        await WaitUntilAsync(async () =>
        {
            foreach (var id in parkedIds)
            {
                if ((await leads.GetAsync(id))!.Status != LeadStatus.Enriched)
                {
                    return false;
                }
            }

            return true;
        });

        Assert.Equal(0L, await parkingLot.CountAsync());
        Assert.Equal(12, enriched.Count);
        foreach (var id in parkedIds)
        {
            var lead = (await leads.GetAsync(id))!;
            Assert.Null(lead.Fault);
            var trail = await _store.Get<IAuditLog>().ReadAsync(id);
            Assert.Contains(trail, e => e.From == LeadStatus.Quarantined && e.To == LeadStatus.New);
        }
    }

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
