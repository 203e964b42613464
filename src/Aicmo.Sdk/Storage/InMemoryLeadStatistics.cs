using Aicmo.Sdk.Domain;

namespace Aicmo.Sdk.Storage;

/// <summary>
/// <see cref="ILeadStatistics"/> for in-memory stores: one pass over the stored leads, trails and outbox entries per read, without
/// copying them, when they are <see cref="InMemoryLeadRepository"/>, <see cref="InMemoryAuditLog"/> and
/// <see cref="InMemoryEmailOutbox"/>; other stores are read page by page through their interfaces. Durable stores register their
/// own, built on counters kept with their writes.
/// </summary>
/// <remarks>A read costs time in proportion to everything stored (about a second for a campaign of a million leads beside another
/// of the same size on a busy 2-vCPU machine, <c>InMemoryLeadStatisticsBenchmarks</c>); the in-memory stores keep no counters and are
/// for tests, samples and runs that fit in memory.</remarks>
/// <param name="leads">The lead store.</param>
/// <param name="audit">The audit log.</param>
/// <param name="outbox">The email outbox.</param>
public sealed class InMemoryLeadStatistics(ILeadRepository leads, IAuditLog audit, IEmailOutbox outbox) : ILeadStatistics
{
    private const int Page = 1000;

    /// <inheritdoc />
    public async ValueTask<CampaignLeadStatistics> GetCampaignStatisticsAsync(LeadStatisticsQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentOutOfRangeException.ThrowIfNegative(query.TopReasons);
        var counts = new Dictionary<LeadStatus, long>();
        var reasons = new Dictionary<string, long>(StringComparer.Ordinal);
        long created = 0;
        List<Guid>? ids = audit is InMemoryAuditLog ? null : [];
        await foreach (var lead in LeadsAsync(query.CampaignId, cancellationToken).ConfigureAwait(false))
        {
            counts[lead.Status] = counts.GetValueOrDefault(lead.Status) + 1;
            if (lead.CreatedAt >= query.CreatedSince)
            {
                created++;
            }

            ids?.Add(lead.Id);
        }

        // Every event of the campaign that disqualified a lead counts, whatever state the lead has moved on to since.
        if (audit is InMemoryAuditLog log)
        {
            log.CountReasons(query.CampaignId, LeadStatus.Disqualified, reasons);
        }
        else
        {
            foreach (var id in ids!)
            {
                foreach (var e in await audit.ReadAsync(id, cancellationToken).ConfigureAwait(false))
                {
                    if (e.To == LeadStatus.Disqualified && e.CampaignId == query.CampaignId)
                    {
                        reasons[e.Reason] = reasons.GetValueOrDefault(e.Reason) + 1;
                    }
                }
            }
        }

        long sent = 0, sentSince = 0, failed = 0;
        var entries = outbox is InMemoryEmailOutbox memory
            ? memory.StoredEntries
            : await outbox.ListAsync(null, 0, int.MaxValue, cancellationToken).ConfigureAwait(false);
        foreach (var entry in entries)
        {
            if (entry.CampaignId != query.CampaignId)
            {
                continue;
            }

            if (entry.Status == OutboxStatus.Sent)
            {
                sent++;
            }
            else if (entry.Status == OutboxStatus.Failed)
            {
                failed++;
            }

            if (entry.SentAt is { } at && at >= query.SentSince)
            {
                sentSince++;
            }
        }

        return new CampaignLeadStatistics
        {
            CampaignId = query.CampaignId,
            Counts = counts,
            TopDisqualificationReasons = [.. reasons.OrderByDescending(r => r.Value).ThenBy(r => r.Key, StringComparer.Ordinal)
                .Take(query.TopReasons).Select(r => new ReasonCount(r.Key, r.Value))],
            LeadsCreatedSince = created,
            EmailsSent = sent,
            EmailsSentSince = sentSince,
            EmailsFailed = failed,
        };
    }

    private async IAsyncEnumerable<Lead> LeadsAsync(string campaignId, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        if (leads is InMemoryLeadRepository memory)
        {
            foreach (var lead in memory.StoredLeads)
            {
                if (lead.CampaignId == campaignId)
                {
                    yield return lead;
                }
            }

            yield break;
        }

        LeadPageKey? after = null;
        while (true)
        {
            var page = await leads.QueryAsync(new LeadQuery { CampaignId = campaignId, After = after, Take = Page }, cancellationToken).ConfigureAwait(false);
            foreach (var lead in page)
            {
                yield return lead;
            }

            if (page.Count < Page)
            {
                yield break;
            }

            after = LeadPageKey.Of(page[^1]);
        }
    }
}
