using Aicmo.Sdk.Domain;
using Aicmo.Sdk.Storage;
using static Aicmo.Sdk.Sqlite.SqliteValues;

namespace Aicmo.Sdk.Sqlite;

/// <summary>
/// A campaign's aggregate counts in grouped queries over indexes: the state counts over <c>ix_aicmo_leads_campaign_status</c>,
/// recent leads over <c>ix_aicmo_leads_campaign_created</c>, disqualification reasons and sends over the partial indexes of migration 7.
/// </summary>
internal sealed class SqliteLeadStatistics(SqliteDatabase database) : ILeadStatistics
{
    public ValueTask<CampaignLeadStatistics> GetCampaignStatisticsAsync(LeadStatisticsQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentOutOfRangeException.ThrowIfNegative(query.TopReasons);
        return database.ReadAsync(
            c =>
            {
                var counts = new Dictionary<LeadStatus, long>();
                using (var command = c.CreateCommand())
                {
                    command.CommandText = "SELECT status, COUNT(*) FROM aicmo_leads WHERE campaign_id = $campaign GROUP BY status;";
                    command.With("$campaign", query.CampaignId);
                    using var reader = command.ExecuteReader();
                    while (reader.Read())
                    {
                        counts[Enum<LeadStatus>(reader.GetString(0))] = reader.GetInt64(1);
                    }
                }

                var reasons = new List<ReasonCount>();
                using (var command = c.CreateCommand())
                {
                    command.CommandText = """
                        SELECT reason, COUNT(*) AS n FROM aicmo_audit_events
                        WHERE campaign_id = $campaign AND to_status = 'Disqualified'
                        GROUP BY reason ORDER BY n DESC, reason LIMIT $take;
                        """;
                    command.With("$campaign", query.CampaignId).With("$take", query.TopReasons);
                    using var reader = command.ExecuteReader();
                    while (reader.Read())
                    {
                        reasons.Add(new ReasonCount(reader.GetString(0), reader.GetInt64(1)));
                    }
                }

                long created, sent, sentSince, failed;
                using (var command = c.CreateCommand())
                {
                    command.CommandText = """
                        SELECT
                          (SELECT COUNT(*) FROM aicmo_leads WHERE campaign_id = $campaign AND created_at >= $created),
                          (SELECT COUNT(*) FROM aicmo_outbox WHERE campaign_id = $campaign AND status = 'Sent'),
                          (SELECT COUNT(*) FROM aicmo_outbox WHERE campaign_id = $campaign AND sent_at IS NOT NULL AND sent_at >= $sent),
                          (SELECT COUNT(*) FROM aicmo_outbox WHERE campaign_id = $campaign AND status = 'Failed');
                        """;
                    command.With("$campaign", query.CampaignId).With("$created", Ticks(query.CreatedSince)).With("$sent", Ticks(query.SentSince));
                    using var reader = command.ExecuteReader();
                    reader.Read();
                    (created, sent, sentSince, failed) = (reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3));
                }

                return new CampaignLeadStatistics
                {
                    CampaignId = query.CampaignId,
                    Counts = counts,
                    TopDisqualificationReasons = reasons,
                    LeadsCreatedSince = created,
                    EmailsSent = sent,
                    EmailsSentSince = sentSince,
                    EmailsFailed = failed,
                };
            },
            cancellationToken);
    }
}
