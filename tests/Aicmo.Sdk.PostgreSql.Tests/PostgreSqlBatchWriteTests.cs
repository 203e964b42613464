using Aicmo.Sdk.Domain;
using Aicmo.Sdk.Storage;
using Aicmo.Sdk.Testing.Contracts;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Aicmo.Sdk.PostgreSql.Tests;

/// <summary>The batch writes of the PostgreSQL stores (one statement per batch) and the coalesced per-lead calls of the nurture stage.</summary>
[SkipWithoutPostgreSql]
public sealed class PostgreSqlBatchWriteTests
{
    [StoreFact]
    public async Task TryAddManyAsync_DuplicatesInBatchAndStored_FirstOfEachIdentityAddedAndReadBack()
    {
        await using var db = new PostgreSqlTestDatabase();
        var leads = db.Get<ILeadRepository>();
        var campaign = ContractTestData.NewCampaignId();
        var stored = ContractTestData.NewLead(campaign, "e:a@example.com");
        Assert.True(await leads.TryAddAsync(stored));
        var b = ContractTestData.NewLead(campaign, "e:b@example.com");
        b.FirstName = "Grace";
        b.AnnualRevenue = 42.5m;
        b.Version = 3;
        Lead[] batch =
        [
            ContractTestData.NewLead(campaign, "e:a@example.com"),
            b,
            ContractTestData.NewLead(campaign, "e:c@example.com"),
            ContractTestData.NewLead(campaign, "e:b@example.com"),
            ContractTestData.NewLead(ContractTestData.NewCampaignId(), "e:b@example.com"),
        ];
        var added = new bool[batch.Length + 2];
        added.AsSpan().Fill(true);

        await leads.TryAddManyAsync(batch, added);

        Assert.Equal([false, true, true, false, true, true, true], added);
        Assert.Equal(3, await leads.CountAsync(campaign));
        Assert.Equal(stored.Id, (await leads.FindByIdentityAsync(campaign, "e:a@example.com"))!.Id);
        var readBack = await leads.FindByIdentityAsync(campaign, "e:b@example.com");
        Assert.Equal(b.Id, readBack!.Id);
        Assert.Equal("Grace", readBack.FirstName);
        Assert.Equal(42.5m, readBack.AnnualRevenue);
        Assert.Equal(3, readBack.Version);
        Assert.Null(await leads.GetAsync(batch[0].Id));
        Assert.Null(await leads.GetAsync(batch[3].Id));
        Assert.NotNull(await leads.GetAsync(batch[4].Id));
    }

    [StoreFact]
    public async Task TryAddManyAsync_SameLeadAddedAgain_IsADuplicate()
    {
        await using var db = new PostgreSqlTestDatabase();
        var leads = db.Get<ILeadRepository>();
        var campaign = ContractTestData.NewCampaignId();
        var lead = ContractTestData.NewLead(campaign);
        Assert.True(await leads.TryAddAsync(lead));
        var added = new bool[2];

        await leads.TryAddManyAsync(new[] { lead, ContractTestData.NewLead(campaign) }, added);

        Assert.Equal([false, true], added);
        Assert.Equal(2, await leads.CountAsync(campaign));
    }

    [StoreFact]
    public async Task TryAddManyAsync_IdTakenUnderAnotherIdentity_ThrowsAndStoresNothingOfTheBatch()
    {
        await using var db = new PostgreSqlTestDatabase();
        var leads = db.Get<ILeadRepository>();
        var campaign = ContractTestData.NewCampaignId();
        var stored = ContractTestData.NewLead(campaign);
        Assert.True(await leads.TryAddAsync(stored));
        var clash = ContractTestData.NewLead(campaign);
        clash.Id = stored.Id;

        var error = await Assert.ThrowsAsync<InvalidOperationException>(async () =>
            await leads.TryAddManyAsync(new[] { ContractTestData.NewLead(campaign), clash, ContractTestData.NewLead(campaign) }, new bool[3]));

        Assert.Contains(stored.Id.ToString(), error.Message, StringComparison.Ordinal);
        Assert.Equal(1, await leads.CountAsync(campaign));
    }

    [StoreFact]
    public async Task TryAddManyAsync_ResultBufferShorter_ThrowsAndStoresNothing()
    {
        await using var db = new PostgreSqlTestDatabase();
        var leads = db.Get<ILeadRepository>();
        var campaign = ContractTestData.NewCampaignId();

        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(async () =>
            await leads.TryAddManyAsync(new[] { ContractTestData.NewLead(campaign), ContractTestData.NewLead(campaign) }, new bool[1]));

        Assert.Equal(0, await leads.CountAsync(campaign));
    }

    [StoreFact]
    public async Task BatchMethods_EmptyBatch_DoNothing()
    {
        await using var db = new PostgreSqlTestDatabase();
        var leads = db.Get<ILeadRepository>();

        await leads.TryAddManyAsync(ReadOnlyMemory<Lead>.Empty, Memory<bool>.Empty);
        await leads.UpdateManyAsync(ReadOnlyMemory<LeadUpdate>.Empty, Memory<bool>.Empty);
        await db.Get<IAuditLog>().AppendManyAsync(ReadOnlyMemory<AuditEvent>.Empty);

        Assert.Equal(0, await leads.CountAsync("any"));
    }

    [StoreFact]
    public async Task TryAddManyAsync_TwoHostsRacingOverlappingBatches_DecideEachIdentityExactlyOnce()
    {
        // Two database instances have two data sources: what two hosts would do. Their batches overlap in opposite orders.
        await using var db = new PostgreSqlTestDatabase();
        await using var other = NewDatabase(db.Schema);
        ILeadRepository[] hosts = [db.Get<ILeadRepository>(), new PostgreSqlLeadRepository(other)];
        var campaign = ContractTestData.NewCampaignId();
        const int Identities = 300;
        var wins = new int[Identities];
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        var callers = Enumerable.Range(0, 4).Select(caller => Task.Run(async () =>
        {
            await start.Task;
            var order = Enumerable.Range(0, Identities).ToArray();
            if (caller % 2 == 1)
            {
                Array.Reverse(order);
            }

            foreach (var chunk in order.Chunk(64))
            {
                var batch = chunk.Select(i => ContractTestData.NewLead(campaign, $"e:p{i}@example.com")).ToArray();
                var added = new bool[batch.Length];
                await hosts[caller % 2].TryAddManyAsync(batch, added);
                for (var j = 0; j < chunk.Length; j++)
                {
                    if (added[j])
                    {
                        Interlocked.Increment(ref wins[chunk[j]]);
                    }
                }
            }
        })).ToArray();
        start.SetResult();
        await Task.WhenAll(callers);

        Assert.All(wins, w => Assert.Equal(1, w));
        Assert.Equal(Identities, await hosts[1].CountAsync(campaign));
    }

    [StoreFact]
    public async Task UpdateManyAsync_MixedResults_AppliesEachOnItsOwn()
    {
        await using var db = new PostgreSqlTestDatabase();
        var leads = db.Get<ILeadRepository>();
        var campaign = ContractTestData.NewCampaignId();
        var stored = Enumerable.Range(0, 3).Select(_ => ContractTestData.NewLead(campaign)).ToArray();
        await leads.TryAddManyAsync(stored, new bool[3]);
        var fresh = Next(stored[0], LeadStatus.Enriched, "first");
        var stale = Next(stored[1], LeadStatus.Enriched, "stale");
        var missing = Next(ContractTestData.NewLead(campaign), LeadStatus.Enriched, "missing");
        var last = Next(stored[2], LeadStatus.Scored, "last");
        var updated = new bool[4];

        await leads.UpdateManyAsync(
            new[] { new LeadUpdate(fresh, 1), new LeadUpdate(stale, 7), new LeadUpdate(missing, 1), new LeadUpdate(last, 1) }, updated);

        Assert.Equal([true, false, false, true], updated);
        var first = await leads.GetAsync(fresh.Id);
        Assert.Equal((LeadStatus.Enriched, 2L, "first"), (first!.Status, first.Version, first.Title));
        var untouched = await leads.GetAsync(stale.Id);
        Assert.Equal((LeadStatus.New, 1L, "VP Engineering"), (untouched!.Status, untouched.Version, untouched.Title));
        Assert.Null(await leads.GetAsync(missing.Id));
        Assert.Equal(1, await leads.CountAsync(campaign, LeadStatus.Scored));
        Assert.Equal(1, await leads.CountAsync(campaign, LeadStatus.Enriched));
    }

    [StoreFact]
    public async Task UpdateManyAsync_IdentityKeyChanged_ThrowsAndRollsBackTheBatch()
    {
        await using var db = new PostgreSqlTestDatabase();
        var leads = db.Get<ILeadRepository>();
        var campaign = ContractTestData.NewCampaignId();
        var stored = Enumerable.Range(0, 2).Select(_ => ContractTestData.NewLead(campaign)).ToArray();
        await leads.TryAddManyAsync(stored, new bool[2]);
        var good = Next(stored[0], LeadStatus.Enriched, "good");
        var rekeyed = Next(stored[1], LeadStatus.Enriched, "rekeyed");
        rekeyed.IdentityKey = "e:someone-else@example.com";

        await Assert.ThrowsAsync<InvalidOperationException>(async () =>
            await leads.UpdateManyAsync(new[] { new LeadUpdate(good, 1), new LeadUpdate(rekeyed, 1) }, new bool[2]));

        Assert.Equal(1, (await leads.GetAsync(good.Id))!.Version);
        Assert.Equal(2, await leads.CountAsync(campaign, LeadStatus.New));
    }

    [StoreFact]
    public async Task UpdateManyAsync_ResultBufferShorter_ThrowsAndUpdatesNothing()
    {
        await using var db = new PostgreSqlTestDatabase();
        var leads = db.Get<ILeadRepository>();
        var lead = ContractTestData.NewLead(ContractTestData.NewCampaignId());
        Assert.True(await leads.TryAddAsync(lead));

        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(async () =>
            await leads.UpdateManyAsync(new[] { new LeadUpdate(Next(lead, LeadStatus.Enriched, "x"), 1) }, Memory<bool>.Empty));

        Assert.Equal(1, (await leads.GetAsync(lead.Id))!.Version);
    }

    [StoreFact]
    public async Task UpdateManyAsync_TwoCallersRacingOnTheSameVersions_EachLeadUpdatedOnce()
    {
        await using var db = new PostgreSqlTestDatabase();
        var leads = db.Get<ILeadRepository>();
        var campaign = ContractTestData.NewCampaignId();
        var stored = Enumerable.Range(0, 64).Select(_ => ContractTestData.NewLead(campaign)).ToArray();
        await leads.TryAddManyAsync(stored, new bool[64]);
        var results = new[] { new bool[64], new bool[64] };

        await Task.WhenAll(Enumerable.Range(0, 2).Select(caller => Task.Run(async () =>
        {
            var updates = stored.Select(l => new LeadUpdate(Next(l, LeadStatus.Enriched, "caller " + caller), 1)).ToArray();
            await leads.UpdateManyAsync(updates, results[caller]);
        })));

        for (var i = 0; i < 64; i++)
        {
            Assert.True(results[0][i] ^ results[1][i], $"lead {i}: {results[0][i]} and {results[1][i]}");
            var lead = await leads.GetAsync(stored[i].Id);
            Assert.Equal("caller " + (results[0][i] ? 0 : 1), lead!.Title);
        }
    }

    [StoreFact]
    public async Task UpdateAsync_ManyWorkersOnTheSameLeadsAtOnce_EachVersionAppliedOnce()
    {
        // Single updates of concurrent workers share statements; two updates of one lead in the same statement must still be
        // two compare-and-sets, so only one of the racers on each version wins.
        await using var db = new PostgreSqlTestDatabase();
        var leads = db.Get<ILeadRepository>();
        var campaign = ContractTestData.NewCampaignId();
        var stored = Enumerable.Range(0, 20).Select(_ => ContractTestData.NewLead(campaign)).ToArray();
        await leads.TryAddManyAsync(stored, new bool[20]);

        var results = await Task.WhenAll(Enumerable.Range(0, 200).Select(i => Task.Run(async () =>
            (Lead: i % 20, Won: await leads.UpdateAsync(Next(stored[i % 20], LeadStatus.Enriched, "worker " + i), 1)))));

        Assert.All(results.GroupBy(r => r.Lead), g => Assert.Equal(1, g.Count(r => r.Won)));
        foreach (var lead in stored)
        {
            Assert.Equal(2, (await leads.GetAsync(lead.Id))!.Version);
        }
    }

    [StoreFact]
    public async Task TryAddAsync_ManyWorkersAddingOverlappingIdentities_EachAddedOnce()
    {
        await using var db = new PostgreSqlTestDatabase();
        var leads = db.Get<ILeadRepository>();
        var campaign = ContractTestData.NewCampaignId();

        var results = await Task.WhenAll(Enumerable.Range(0, 300).Select(i => Task.Run(async () =>
            (Identity: i % 30, Added: await leads.TryAddAsync(ContractTestData.NewLead(campaign, $"e:p{i % 30}@example.com"))))));

        Assert.All(results.GroupBy(r => r.Identity), g => Assert.Equal(1, g.Count(r => r.Added)));
        Assert.Equal(30, await leads.CountAsync(campaign));
    }

    [StoreFact]
    public async Task AppendManyAsync_SeveralLeadsInterleaved_EachTrailKeepsOneEventPerSequenceTheLastAppended()
    {
        await using var db = new PostgreSqlTestDatabase();
        var audit = db.Get<IAuditLog>();
        Guid first = Guid.NewGuid(), second = Guid.NewGuid(), run = Guid.NewGuid();
        var events = new List<AuditEvent>();
        for (var i = 1; i <= 40; i++)
        {
            // Both leads interleaved; the second lead's events all carry the same sequence, so the last appended is the one kept.
            events.Add(new AuditEvent(first, "c", run, i, "stage" + i, i == 1 ? null : LeadStatus.New, LeadStatus.Enriched, "first " + i, ContractTestData.At(i)));
            events.Add(new AuditEvent(second, "c", run, 1, "score", LeadStatus.New, LeadStatus.Scored, "second " + i, ContractTestData.At(i)));
        }

        await audit.AppendManyAsync(events.ToArray());

        var trail = await audit.ReadAsync(first);
        Assert.Equal(events.Where(e => e.LeadId == first), trail);
        Assert.Equal(["second 40"], (await audit.ReadAsync(second)).Select(e => e.Reason));
    }

    [StoreFact]
    public async Task UpdateManyAsync_AfterAnAuditEventOfTheBatchWasLost_ThrowsAndStoresNoState()
    {
        await using var db = new PostgreSqlTestDatabase();
        var leads = db.Get<ILeadRepository>();
        var audit = db.Get<IAuditLog>();
        var campaign = ContractTestData.NewCampaignId();
        var stored = Enumerable.Range(0, 2).Select(_ => ContractTestData.NewLead(campaign)).ToArray();
        await leads.TryAddManyAsync(stored, new bool[2]);

        // PostgreSQL text cannot hold NUL: that event is lost, and the state that would follow it must not be stored.
        await audit.AppendManyAsync(new[]
        {
            new AuditEvent(stored[0].Id, campaign, Guid.Empty, 2, "enrich", LeadStatus.New, LeadStatus.Enriched, "ok", ContractTestData.BaseTime),
            new AuditEvent(stored[1].Id, campaign, Guid.Empty, 2, "enrich", LeadStatus.New, LeadStatus.Enriched, "nul \0 here", ContractTestData.BaseTime),
        });

        var error = await Assert.ThrowsAsync<InvalidOperationException>(async () => await leads.UpdateManyAsync(
            stored.Select(l => new LeadUpdate(Next(l, LeadStatus.Enriched, "x"), 1)).ToArray(), new bool[2]));

        Assert.Contains("audit", error.Message, StringComparison.Ordinal);
        Assert.Equal(2, await leads.CountAsync(campaign, LeadStatus.New));
    }

    [StoreFact]
    public async Task Outbox_ManyConcurrentReservationsAndSends_EachKeyReservedAndSentOnce()
    {
        await using var db = new PostgreSqlTestDatabase();
        var outbox = db.Get<IEmailOutbox>();
        var keys = Enumerable.Range(0, 50).Select(_ => new OutboxKey(Guid.NewGuid(), "intro", 1)).ToArray();

        // Four reservations per key from concurrent workers, coalesced into shared statements.
        var reservations = await Task.WhenAll(Enumerable.Range(0, 200).Select(i => Task.Run(async () =>
        {
            var key = keys[i % keys.Length];
            var found = await outbox.GetAsync(key);
            var reservation = await outbox.ReserveAsync(new OutboxEntry
            {
                Key = key, CampaignId = "c", To = $"p{i % keys.Length}@example.com", Subject = "Hello", Status = OutboxStatus.Pending, CreatedAt = ContractTestData.BaseTime,
            });
            if (reservation.Created)
            {
                await outbox.MarkSentAsync(key, "m-" + (i % keys.Length), ContractTestData.At(i));
            }

            return (Key: key, reservation.Created, FoundFirst: found);
        })));

        Assert.All(reservations.GroupBy(r => r.Key), g => Assert.Equal(1, g.Count(r => r.Created)));
        var sent = await outbox.ListAsync(OutboxStatus.Sent, take: 1000);
        Assert.Equal(keys.Length, sent.Count);
        Assert.All(sent, e => Assert.Equal((1, "m-" + Array.IndexOf(keys, e.Key)), (e.Attempts, e.ProviderMessageId)));
        Assert.Equal(OutboxStatus.Sent, (await outbox.GetAsync(keys[0]))!.Status);
        Assert.Null(await outbox.GetAsync(new OutboxKey(Guid.NewGuid(), "intro", 1)));
        await Assert.ThrowsAsync<InvalidOperationException>(async () => await outbox.MarkSentAsync(new OutboxKey(Guid.NewGuid(), "intro", 1), null, ContractTestData.BaseTime));
    }

    [StoreFact]
    public async Task Outbox_OneBadReservationInAGroup_OnlyItFails()
    {
        await using var db = new PostgreSqlTestDatabase();
        var outbox = db.Get<IEmailOutbox>();
        await outbox.ListAsync();

        var attempts = Enumerable.Range(0, 40).Select(i => Task.Run(async () => await outbox.ReserveAsync(new OutboxEntry
        {
            Key = new OutboxKey(Guid.NewGuid(), "intro", 1), CampaignId = "c", To = "p@example.com",
            Subject = i == 13 ? "nul \0 here" : "Hello", Status = OutboxStatus.Pending, CreatedAt = ContractTestData.BaseTime,
        }))).ToArray();
        await Task.WhenAll(attempts.Select(a => a.ContinueWith(_ => { }, TaskScheduler.Default)));

        Assert.Equal(1, attempts.Count(a => a.IsFaulted));
        Assert.True(attempts[13].IsFaulted);
        Assert.Equal(39, (await outbox.ListAsync(take: 100)).Count);
    }

    [StoreFact]
    public async Task Suppression_ManyConcurrentLookups_EachGetsItsOwnAnswer()
    {
        await using var db = new PostgreSqlTestDatabase();
        var suppression = db.Get<ISuppressionList>();
        for (var i = 0; i < 100; i += 3)
        {
            await suppression.AddAsync(new SuppressionEntry($"p{i}@example.com", i % 2 == 0 ? SuppressionReason.Bounced : SuppressionReason.Unsubscribed, ContractTestData.At(i)));
        }

        var found = await Task.WhenAll(Enumerable.Range(0, 100).Select(i => Task.Run(async () =>
            await suppression.FindAsync($"  P{i}@Example.com "))));

        for (var i = 0; i < 100; i++)
        {
            var expected = i % 3 != 0 ? null
                : new SuppressionEntry($"p{i}@example.com", i % 2 == 0 ? SuppressionReason.Bounced : SuppressionReason.Unsubscribed, ContractTestData.At(i));
            Assert.Equal(expected, found[i]);
        }
    }

    private static Lead Next(Lead lead, LeadStatus status, string title)
    {
        var next = lead.Clone();
        next.Status = status;
        next.Title = title;
        next.Version = lead.Version + 1;
        next.UpdatedAt = lead.UpdatedAt.AddSeconds(1);
        return next;
    }

    private static PostgreSqlDatabase NewDatabase(string schema) =>
        new(Options.Create(new PostgreSqlStoreOptions { ConnectionString = PostgreSqlTestServer.ConnectionString, Schema = schema }), new ServiceCollection().BuildServiceProvider());
}
