using Aicmo.Sdk.Domain;
using Aicmo.Sdk.Storage;
using Xunit;

namespace Aicmo.Sdk.Testing.Contracts;

/// <summary>The contract every <see cref="ILeadStatistics"/> must meet, over the lead, audit and outbox stores it reads. Derive from it in the store's test assembly.</summary>
public abstract partial class LeadStatisticsContractTests
{
    /// <summary>Creates the stores under test, ready to use and sharing one database.</summary>
    /// <returns>The lead store, audit log, outbox and the statistics over them.</returns>
    protected abstract Task<(ILeadRepository Leads, IAuditLog Audit, IEmailOutbox Outbox, ILeadStatistics Statistics)> CreateStoresAsync();

    /// <summary>
    /// States, recent leads, disqualification reasons (most frequent first, only the campaign's own) and sends (in total, in the window,
    /// failed) are counted for the campaign asked about and no other.
    /// </summary>
    /// <returns>A task.</returns>
    [StoreFact]
    public virtual async Task GetCampaignStatisticsAsync_MixedCampaign_CountsStatesReasonsAndSends()
    {
        var (leads, audit, outbox, statistics) = await CreateStoresAsync();
        var campaign = ContractTestData.NewCampaignId("stats");
        var other = ContractTestData.NewCampaignId("stats-other");
        var day = TimeSpan.FromDays(1);
        var plan = new (LeadStatus Status, int AgeDays, string? Reason)[]
        {
            (LeadStatus.Routed, 0, null), (LeadStatus.Routed, 1, null), (LeadStatus.Contacted, 9, null),
            (LeadStatus.Disqualified, 0, "too small"), (LeadStatus.Disqualified, 2, "too small"), (LeadStatus.Disqualified, 8, "wrong country"),
            (LeadStatus.Disqualified, 3, ContractTestData.SqlText), (LeadStatus.ManualReview, 0, null), (LeadStatus.Quarantined, 10, null),
        };
        var now = ContractTestData.BaseTime.AddDays(30);
        var stored = new List<Lead>();
        foreach (var (status, age, reason) in plan)
        {
            var lead = ContractTestData.NewLead(campaign, createdAt: now - (age * day));
            lead.Status = status;
            Assert.True(await leads.TryAddAsync(lead));
            stored.Add(lead);
            if (reason is not null)
            {
                await audit.AppendAsync(new AuditEvent(lead.Id, campaign, lead.RunId, 1, "qualify", LeadStatus.Scored, LeadStatus.Disqualified, reason, lead.CreatedAt));
            }
        }

        var stranger = ContractTestData.NewLead(other, createdAt: now);
        stranger.Status = LeadStatus.Disqualified;
        Assert.True(await leads.TryAddAsync(stranger));
        await audit.AppendAsync(new AuditEvent(stranger.Id, other, stranger.RunId, 1, "qualify", LeadStatus.Scored, LeadStatus.Disqualified, "too small", now));

        await SendAsync(outbox, campaign, stored[0].Id, now - TimeSpan.FromHours(1), failed: false);
        await SendAsync(outbox, campaign, stored[1].Id, now - (3 * day), failed: false);
        await SendAsync(outbox, campaign, stored[2].Id, null, failed: true);
        await SendAsync(outbox, other, stranger.Id, now, failed: false);

        var result = await statistics.GetCampaignStatisticsAsync(new LeadStatisticsQuery
        {
            CampaignId = campaign,
            CreatedSince = now - (7 * day),
            SentSince = now - day,
            TopReasons = 2,
        });

        Assert.Equal(campaign, result.CampaignId);
        Assert.Equal(9, result.Total);
        Assert.Equal(2, result[LeadStatus.Routed]);
        Assert.Equal(4, result[LeadStatus.Disqualified]);
        Assert.Equal(1, result[LeadStatus.ManualReview]);
        Assert.Equal(1, result[LeadStatus.Quarantined]);
        Assert.Equal(0, result[LeadStatus.New]);
        Assert.Equal(6, result.LeadsCreatedSince);
        Assert.Equal(2, result.TopDisqualificationReasons.Count);
        Assert.Equal(new ReasonCount("too small", 2), result.TopDisqualificationReasons[0]);
        Assert.Equal(1, result.TopDisqualificationReasons[1].Count);
        Assert.Equal(2, result.EmailsSent);
        Assert.Equal(1, result.EmailsSentSince);
        Assert.Equal(1, result.EmailsFailed);
    }

    /// <summary>A campaign nobody stored anything for counts zeros, not an error.</summary>
    /// <returns>A task.</returns>
    [StoreFact]
    public virtual async Task GetCampaignStatisticsAsync_UnknownCampaign_CountsZeros()
    {
        var (_, _, _, statistics) = await CreateStoresAsync();
        var result = await statistics.GetCampaignStatisticsAsync(new LeadStatisticsQuery
        {
            CampaignId = ContractTestData.NewCampaignId("stats-none"),
            CreatedSince = ContractTestData.BaseTime,
            SentSince = ContractTestData.BaseTime,
        });

        Assert.Empty(result.Counts);
        Assert.Empty(result.TopDisqualificationReasons);
        Assert.Equal(0, result.LeadsCreatedSince + result.EmailsSent + result.EmailsSentSince + result.EmailsFailed);
    }

    private static async Task SendAsync(IEmailOutbox outbox, string campaign, Guid leadId, DateTimeOffset? sentAt, bool failed)
    {
        var key = new OutboxKey(leadId, "enterprise", 1);
        await outbox.ReserveAsync(new OutboxEntry
        {
            Key = key,
            CampaignId = campaign,
            To = "ada@example.com",
            Subject = "Hello",
            Status = OutboxStatus.Pending,
            CreatedAt = ContractTestData.BaseTime,
        });
        if (failed)
        {
            await outbox.MarkFailedAsync(key, "550 mailbox unavailable");
        }
        else
        {
            await outbox.MarkSentAsync(key, "provider-1", sentAt!.Value);
        }
    }
}
