using Aicmo.Sdk.Domain;

namespace Aicmo.Sdk.Storage;

/// <summary>
/// <see cref="ILeadStatistics"/> computed by reading through the store interfaces: the registration for in-memory stores, where a
/// scan is what a grouped query would do anyway. Durable stores register their own, built on grouped queries.
/// </summary>
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
        LeadPageKey? after = null;
        while (true)
        {
            var page = await leads.QueryAsync(new LeadQuery { CampaignId = query.CampaignId, After = after, Take = Page }, cancellationToken).ConfigureAwait(false);
            foreach (var lead in page)
            {
                counts[lead.Status] = counts.GetValueOrDefault(lead.Status) + 1;
                if (lead.CreatedAt >= query.CreatedSince)
                {
                    created++;
                }

                if (lead.Status == LeadStatus.Disqualified)
                {
                    foreach (var e in await audit.ReadAsync(lead.Id, cancellationToken).ConfigureAwait(false))
                    {
                        if (e.To == LeadStatus.Disqualified)
                        {
                            reasons[e.Reason] = reasons.GetValueOrDefault(e.Reason) + 1;
                        }
                    }
                }
            }

            if (page.Count < Page)
            {
                break;
            }

            after = LeadPageKey.Of(page[^1]);
        }

        long sent = 0, sentSince = 0, failed = 0;
        var all = await outbox.ListAsync(null, 0, int.MaxValue, cancellationToken).ConfigureAwait(false);
        foreach (var entry in all)
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
}
