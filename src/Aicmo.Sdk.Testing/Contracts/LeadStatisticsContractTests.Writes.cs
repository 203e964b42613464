using Aicmo.Sdk.Domain;
using Aicmo.Sdk.Storage;
using Xunit;

namespace Aicmo.Sdk.Testing.Contracts;

/// <summary>
/// The counts after every kind of write the stores accept, checked against the stored rows read back through the store
/// interfaces: stores that keep running counters must keep them right through transitions, stale writes, replaced and redacted
/// events, erasure, retried sends and writes that fail.
/// </summary>
public abstract partial class LeadStatisticsContractTests
{
    /// <summary>Leads moved through their states in single and batched compare-and-set writes, some of them stale, are counted in the state they are in.</summary>
    /// <returns>A task.</returns>
    [StoreFact]
    public virtual async Task GetCampaignStatisticsAsync_AfterTransitionsAndStaleWrites_CountsEachLeadInItsState()
    {
        var (leads, audit, _, statistics) = await CreateStoresAsync();
        var campaign = ContractTestData.NewCampaignId("stats-moves");
        var batch = Enumerable.Range(0, 6).Select(i => ContractTestData.NewLead(campaign, createdAt: ContractTestData.BaseTime.AddMinutes(i))).ToArray();
        var twin = ContractTestData.NewLead(campaign, batch[0].IdentityKey);
        var added = new bool[batch.Length + 1];
        await leads.TryAddManyAsync(batch.Append(twin).ToArray(), added);
        Assert.Equal([true, true, true, true, true, true, false], added);

        await MoveAsync(leads, batch[0], LeadStatus.Enriched);
        await MoveAsync(leads, batch[0], LeadStatus.Scored);
        await MoveAsync(leads, batch[0], LeadStatus.Disqualified);
        var stale = batch[1].Clone();
        stale.Status = LeadStatus.Quarantined;
        stale.Version = 5;
        Assert.False(await leads.UpdateAsync(stale, expectedVersion: 4));

        var updates = new LeadUpdate[4];
        for (var i = 0; i < updates.Length; i++)
        {
            var lead = batch[i + 2].Clone();
            lead.Status = i < 2 ? LeadStatus.Routed : LeadStatus.Contacted;
            lead.Version++;
            updates[i] = new LeadUpdate(lead, i == 3 ? 99 : batch[i + 2].Version);
        }

        var updated = new bool[updates.Length];
        await leads.UpdateManyAsync(updates, updated);
        Assert.Equal([true, true, true, false], updated);

        var result = await ReadAsync(statistics, campaign);
        Assert.Equal(6, result.Total);
        Assert.Equal(1, result[LeadStatus.Disqualified]);
        Assert.Equal(2, result[LeadStatus.New]);
        Assert.Equal(2, result[LeadStatus.Routed]);
        Assert.Equal(1, result[LeadStatus.Contacted]);
        Assert.Equal(0, result[LeadStatus.Enriched] + result[LeadStatus.Scored] + result[LeadStatus.Quarantined]);
        await AssertMatchesStoredRowsAsync(leads, audit, statistics, campaign);
    }

    /// <summary>
    /// An event appended again for its sequence replaces the stored one in the reasons; erasure's anonymized lead and redacted
    /// trail are counted as stored (the redacted text in place of the reasons it replaced).
    /// </summary>
    /// <returns>A task.</returns>
    [StoreFact]
    public virtual async Task GetCampaignStatisticsAsync_AfterReplacedEventsAndErasure_CountsReasonsAsStored()
    {
        var (leads, audit, _, statistics) = await CreateStoresAsync();
        var campaign = ContractTestData.NewCampaignId("stats-erase");
        var stored = new List<Lead>();
        foreach (var reason in new[] { "too small", "too small", "wrong country" })
        {
            var lead = ContractTestData.NewLead(campaign);
            lead.Status = LeadStatus.Disqualified;
            Assert.True(await leads.TryAddAsync(lead));
            await audit.AppendAsync(Disqualified(lead, 1, reason));
            stored.Add(lead);
        }

        // The same sequence again: the trail holds the later event, and so do the counts.
        await audit.AppendAsync(Disqualified(stored[1], 1, "wrong country"));
        var before = await ReadAsync(statistics, campaign);
        Assert.Equal([new ReasonCount("wrong country", 2), new ReasonCount("too small", 1)], before.TopDisqualificationReasons);

        try
        {
            Assert.Equal(1, await audit.RedactAsync(stored[0].Id, "[erased]"));
            var anonymized = stored[0].Clone();
            anonymized.IdentityKey = "erased:" + anonymized.Id.ToString("N");
            anonymized.Status = LeadStatus.Unsubscribed;
            anonymized.Version++;
            Assert.True(await leads.EraseAsync(anonymized, stored[0].Version));
        }
        catch (NotSupportedException)
        {
            // A store without erasure keeps no personal data; the rest of the contract still applies.
        }

        await AssertMatchesStoredRowsAsync(leads, audit, statistics, campaign);
    }

    /// <summary>A send that failed, was claimed again and went out is one sent entry, no failed one.</summary>
    /// <returns>A task.</returns>
    [StoreFact]
    public virtual async Task GetCampaignStatisticsAsync_SendRetriedAfterAFailure_CountsOneSentEntry()
    {
        var (leads, _, outbox, statistics) = await CreateStoresAsync();
        var campaign = ContractTestData.NewCampaignId("stats-retry");
        var lead = ContractTestData.NewLead(campaign);
        Assert.True(await leads.TryAddAsync(lead));
        var now = ContractTestData.BaseTime.AddDays(30);
        await SendAsync(outbox, campaign, lead.Id, null, failed: true);
        Assert.Equal(1, (await ReadAsync(statistics, campaign, sentSince: now.AddDays(-1))).EmailsFailed);

        var key = new OutboxKey(lead.Id, "enterprise", 1);
        var seen = await outbox.GetAsync(key);
        Assert.NotNull(await outbox.TryReclaimAsync(seen!, "retry", now.AddMinutes(5), now));
        await outbox.MarkSentAsync(key, "provider-2", now);

        var result = await ReadAsync(statistics, campaign, sentSince: now.AddDays(-1));
        Assert.Equal(1, result.EmailsSent);
        Assert.Equal(1, result.EmailsSentSince);
        Assert.Equal(0, result.EmailsFailed);
    }

    /// <summary>Windows that start inside an hour count exactly the leads and sends at or after their start, to the tick.</summary>
    /// <returns>A task.</returns>
    [StoreFact]
    public virtual async Task GetCampaignStatisticsAsync_WindowsStartingInsideAnHour_CountToTheirExactStart()
    {
        var (leads, _, outbox, statistics) = await CreateStoresAsync();
        var campaign = ContractTestData.NewCampaignId("stats-hours");
        var hour = new DateTimeOffset(2025, 6, 2, 10, 0, 0, TimeSpan.Zero);
        var offsets = new[] { -61, -30, -1, 0, 7, 29, 30, 31, 59, 60, 61, 125, 24 * 60 };
        foreach (var minutes in offsets)
        {
            var lead = ContractTestData.NewLead(campaign, createdAt: hour.AddMinutes(minutes));
            Assert.True(await leads.TryAddAsync(lead));
            await SendAsync(outbox, campaign, lead.Id, hour.AddMinutes(minutes), failed: false);
        }

        foreach (var since in new[] { hour.AddMinutes(30), hour.AddMinutes(-30).AddTicks(10), hour, hour.AddMinutes(-90), hour.AddDays(2) })
        {
            var expected = offsets.Count(m => hour.AddMinutes(m) >= since);
            var result = await statistics.GetCampaignStatisticsAsync(new LeadStatisticsQuery { CampaignId = campaign, CreatedSince = since, SentSince = since });
            Assert.Equal((since, expected, expected), (since, result.LeadsCreatedSince, result.EmailsSentSince));
        }
    }

    /// <summary>A batch that fails on a lead whose id is taken leaves the counts matching what the store kept.</summary>
    /// <returns>A task.</returns>
    [StoreFact]
    public virtual async Task GetCampaignStatisticsAsync_AfterAFailedBatch_CountsOnlyWhatWasStored()
    {
        var (leads, audit, _, statistics) = await CreateStoresAsync();
        var campaign = ContractTestData.NewCampaignId("stats-fail");
        var first = ContractTestData.NewLead(campaign);
        Assert.True(await leads.TryAddAsync(first));
        var fresh = ContractTestData.NewLead(campaign);
        fresh.Status = LeadStatus.Qualified;
        var clash = ContractTestData.NewLead(campaign);
        clash.Id = first.Id;
        clash.Status = LeadStatus.Disqualified;

        await Assert.ThrowsAsync<InvalidOperationException>(async () => await leads.TryAddManyAsync(new[] { fresh, clash }, new bool[2]));

        var result = await ReadAsync(statistics, campaign);
        Assert.Equal(1, result[LeadStatus.New]);
        Assert.Equal(0, result[LeadStatus.Disqualified]);
        await AssertMatchesStoredRowsAsync(leads, audit, statistics, campaign);
    }

    /// <summary>Checks the statistics against the campaign's leads and trails read back one by one through the store interfaces.</summary>
    /// <param name="leads">The lead store.</param>
    /// <param name="audit">The audit log.</param>
    /// <param name="statistics">The statistics under test.</param>
    /// <param name="campaign">The campaign.</param>
    /// <returns>A task.</returns>
    protected static async Task AssertMatchesStoredRowsAsync(ILeadRepository leads, IAuditLog audit, ILeadStatistics statistics, string campaign)
    {
        ArgumentNullException.ThrowIfNull(leads);
        ArgumentNullException.ThrowIfNull(audit);
        ArgumentNullException.ThrowIfNull(statistics);
        var counts = new Dictionary<LeadStatus, long>();
        var reasons = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var lead in await leads.QueryAsync(new LeadQuery { CampaignId = campaign, Take = 1000 }))
        {
            counts[lead.Status] = counts.GetValueOrDefault(lead.Status) + 1;
            foreach (var e in (await audit.ReadAsync(lead.Id)).Where(e => e.To == LeadStatus.Disqualified))
            {
                reasons[e.Reason] = reasons.GetValueOrDefault(e.Reason) + 1;
            }
        }

        var result = await ReadAsync(statistics, campaign, topReasons: 100);
        Assert.Equal(counts.OrderBy(c => c.Key), result.Counts.OrderBy(c => c.Key));
        Assert.Equal(
            reasons.Select(r => new ReasonCount(r.Key, r.Value)).OrderByDescending(r => r.Count).ThenBy(r => r.Reason, StringComparer.Ordinal),
            result.TopDisqualificationReasons);
    }

    private static Task<CampaignLeadStatistics> ReadAsync(ILeadStatistics statistics, string campaign, DateTimeOffset? sentSince = null, int topReasons = 5) =>
        statistics.GetCampaignStatisticsAsync(new LeadStatisticsQuery
        {
            CampaignId = campaign,
            CreatedSince = ContractTestData.BaseTime,
            SentSince = sentSince ?? ContractTestData.BaseTime,
            TopReasons = topReasons,
        }).AsTask();

    private static async Task MoveAsync(ILeadRepository leads, Lead lead, LeadStatus to)
    {
        var next = lead.Clone();
        next.Status = to;
        next.Version = lead.Version + 1;
        Assert.True(await leads.UpdateAsync(next, lead.Version));
        lead.Status = to;
        lead.Version = next.Version;
    }

    private static AuditEvent Disqualified(Lead lead, long sequence, string reason) =>
        new(lead.Id, lead.CampaignId, lead.RunId, sequence, "qualify", LeadStatus.Scored, LeadStatus.Disqualified, reason, lead.CreatedAt);
}
