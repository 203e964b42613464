using Aicmo.Sdk.Domain;
using Aicmo.Sdk.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace Aicmo.Sdk.RabbitMQ.Tests.MultiProcess;

/// <summary>What the shared store and the processes' send files hold after runs of a cluster.</summary>
internal static class CampaignCheck
{
    private static readonly LeadStatus[] Outcomes =
    [
        LeadStatus.Disqualified, LeadStatus.ManualReview, LeadStatus.Routed, LeadStatus.Contacted,
        LeadStatus.Unsubscribed, LeadStatus.Bounced, LeadStatus.Quarantined,
    ];

    /// <summary>Reads every lead of a campaign from the shared store.</summary>
    public static async Task<List<Lead>> LeadsAsync(SampleCluster cluster, string campaign)
    {
        var leads = cluster.Stores.GetRequiredService<ILeadRepository>();
        var stored = new List<Lead>();
        LeadPageKey? after = null;
        while (true)
        {
            var page = await leads.QueryAsync(new LeadQuery { CampaignId = campaign, After = after, Take = 2000 });
            stored.AddRange(page);
            if (page.Count < 2000)
            {
                return stored;
            }

            after = LeadPageKey.Of(page[^1]);
        }
    }

    /// <summary>
    /// The run balances and completed, and the store holds one lead per candidate that was not a duplicate, each in exactly one
    /// outcome; a sample of trails holds every version from 1 to the stored one, ending in the stored state.
    /// </summary>
    public static async Task<List<Lead>> VerifyRunAsync(SampleCluster cluster, string campaign, RunLine run, int trailsToCheck = 200)
    {
        Assert.True(run.Balanced, $"the run does not balance: {run}");
        Assert.True(run.Status is "Completed" or "CompletedWithErrors", $"the run ended {run.Status}: {run}");
        Assert.Equal(0, run.Pending);
        var stored = await LeadsAsync(cluster, campaign);
        Assert.Equal(run.Harvested - run.Duplicates, stored.Count);
        Assert.Equal(stored.Count, stored.Select(l => l.IdentityKey).Distinct(StringComparer.Ordinal).Count());
        var unfinished = stored.Where(l => !Outcomes.Contains(l.Status) || (l.Status == LeadStatus.Routed && l.Nurture is null)).ToList();
        Assert.True(unfinished.Count == 0, $"{unfinished.Count} leads did not finish: {string.Join(", ", unfinished.Take(5).Select(l => l.Status))}");

        var audit = cluster.Stores.GetRequiredService<IAuditLog>();
        foreach (var lead in stored.OrderBy(l => l.Id).Take(trailsToCheck))
        {
            var trail = await audit.ReadAsync(lead.Id);
            Assert.Equal(Enumerable.Range(1, (int)lead.Version).Select(i => (long)i), trail.Select(e => e.Sequence));
            Assert.Equal(lead.Status, trail[^1].To);
        }

        return stored;
    }

    /// <summary>
    /// No idempotency key reached a mail transport twice (counted over every process's send file, across kills), every send
    /// the outbox recorded was made, and every contacted lead has its send recorded. Returns the keys sent whose claim the
    /// outbox still holds as pending (a process died between the send and its record: the one window left, see docs/guarantees.md).
    /// </summary>
    public static async Task<int> VerifySendsAsync(SampleCluster cluster, IReadOnlyCollection<Lead> leads)
    {
        var sends = cluster.ReadSends();
        var twice = sends.GroupBy(k => k, StringComparer.Ordinal).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        Assert.True(twice.Count == 0, $"{twice.Count} of {sends.Count} keys were sent more than once: {string.Join(", ", twice.Take(5))}");

        var outbox = cluster.Stores.GetRequiredService<IEmailOutbox>();
        var mine = leads.Select(l => l.Id).ToHashSet();
        var entries = (await outbox.ListAsync(take: 1_000_000)).Where(e => mine.Contains(e.Key.LeadId)).ToList();
        var sent = sends.ToHashSet(StringComparer.Ordinal);
        var recorded = entries.Where(e => e.Status == OutboxStatus.Sent).ToList();
        Assert.All(recorded, e => Assert.Contains(e.Key.IdempotencyKey, sent));
        var contacted = leads.Where(l => l.Status == LeadStatus.Contacted).Select(l => l.Id).ToHashSet();
        Assert.Equal(contacted.Count, recorded.Count(e => contacted.Contains(e.Key.LeadId)));
        var recordedKeys = recorded.Select(e => e.Key.IdempotencyKey).ToHashSet(StringComparer.Ordinal);
        var pending = entries.Where(e => e.Status == OutboxStatus.Pending).Select(e => e.Key.IdempotencyKey).ToHashSet(StringComparer.Ordinal);
        var unrecorded = sends.Where(k => !recordedKeys.Contains(k)).ToList();
        Assert.True(unrecorded.All(pending.Contains), "a key was sent that the outbox holds neither as sent nor as a pending claim");
        return unrecorded.Count;
    }
}
