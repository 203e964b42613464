using Aicmo.Sdk.Domain;
using Aicmo.Sdk.Storage;
using static Aicmo.Sdk.PostgreSql.PostgreSqlValues;

namespace Aicmo.Sdk.PostgreSql;

/// <summary>
/// A campaign's aggregate counts in grouped queries over indexes: the state counts over <c>ix_leads_campaign_status</c>, recent
/// leads over <c>ix_leads_campaign_created</c>, disqualification reasons and sends over the indexes of migration 7.
/// </summary>
internal sealed class PostgreSqlLeadStatistics(PostgreSqlDatabase database) : ILeadStatistics
{
    public async ValueTask<CampaignLeadStatistics> GetCampaignStatisticsAsync(LeadStatisticsQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentOutOfRangeException.ThrowIfNegative(query.TopReasons);
        var counts = new Dictionary<LeadStatus, long>();
        await using (var command = await database.CommandAsync(
            "SELECT status, count(*) FROM {s}.leads WHERE campaign_id = @campaign GROUP BY status;", cancellationToken).ConfigureAwait(false))
        {
            command.WithText("campaign", query.CampaignId);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                counts[Enum<LeadStatus>(reader.GetString(0))] = reader.GetInt64(1);
            }
        }

        var reasons = new List<ReasonCount>();
        await using (var command = await database.CommandAsync(
            """
            SELECT reason, count(*) AS n FROM {s}.audit_events
            WHERE campaign_id = @campaign AND to_status = 'Disqualified'
            GROUP BY reason ORDER BY n DESC, reason COLLATE "C" LIMIT @take;
            """,
            cancellationToken).ConfigureAwait(false))
        {
            command.WithText("campaign", query.CampaignId).With("take", query.TopReasons);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                reasons.Add(new ReasonCount(reader.GetString(0), reader.GetInt64(1)));
            }
        }

        await using (var command = await database.CommandAsync(
            """
            SELECT
              (SELECT count(*) FROM {s}.leads WHERE campaign_id = @campaign AND created_at >= @created),
              (SELECT count(*) FROM {s}.outbox WHERE campaign_id = @campaign AND status = 'Sent'),
              (SELECT count(*) FROM {s}.outbox WHERE campaign_id = @campaign AND sent_at >= @sent),
              (SELECT count(*) FROM {s}.outbox WHERE campaign_id = @campaign AND status = 'Failed');
            """,
            cancellationToken).ConfigureAwait(false))
        {
            command.WithText("campaign", query.CampaignId).With("created", query.CreatedSince).With("sent", query.SentSince);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            return new CampaignLeadStatistics
            {
                CampaignId = query.CampaignId,
                Counts = counts,
                TopDisqualificationReasons = reasons,
                LeadsCreatedSince = reader.GetInt64(0),
                EmailsSent = reader.GetInt64(1),
                EmailsSentSince = reader.GetInt64(2),
                EmailsFailed = reader.GetInt64(3),
            };
        }
    }
}
