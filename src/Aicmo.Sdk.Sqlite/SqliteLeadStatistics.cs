using Aicmo.Sdk.Domain;
using Aicmo.Sdk.Storage;
using Microsoft.Data.Sqlite;
using static Aicmo.Sdk.Sqlite.SqliteValues;

namespace Aicmo.Sdk.Sqlite;

/// <summary>
/// A campaign's aggregate counts read from the counters of migration 9 (<c>aicmo_campaign_counts</c> and
/// <c>aicmo_campaign_hourly_counts</c>), which triggers keep in the same transaction as every write of a lead, an audit event or
/// an outbox entry. A request reads a few dozen rows, however many leads the campaign holds; only the part of a window before its
/// first whole hour is counted from the rows themselves, over <c>ix_aicmo_leads_campaign_created</c> and
/// <c>ix_aicmo_outbox_campaign_status</c>.
/// </summary>
internal sealed class SqliteLeadStatistics(SqliteDatabase database) : ILeadStatistics
{
    // One read transaction: every count comes from the same snapshot of the database.
    private const string CountsSql = """
        SELECT counter, key, n FROM aicmo_campaign_counts
        WHERE campaign_id = $campaign AND counter IN ('lead_status', 'outbox_status') AND n > 0;
        """;

    private const string ReasonsSql = """
        SELECT key, n FROM aicmo_campaign_counts
        WHERE campaign_id = $campaign AND counter = 'disqualified' AND n > 0
        ORDER BY n DESC, key LIMIT $take;
        """;

    private const string WindowsSql = """
        SELECT
          coalesce((SELECT sum(n) FROM aicmo_campaign_hourly_counts
                    WHERE campaign_id = $campaign AND counter = 'lead_created' AND hour >= $created_hour), 0)
          + (SELECT count(*) FROM aicmo_leads WHERE campaign_id = $campaign AND created_at >= $created AND created_at < $created_hour_at),
          coalesce((SELECT sum(n) FROM aicmo_campaign_hourly_counts
                    WHERE campaign_id = $campaign AND counter = 'outbox_sent' AND hour >= $sent_hour), 0)
          + (SELECT count(*) FROM aicmo_outbox
             WHERE campaign_id = $campaign
               AND status IN (SELECT key FROM aicmo_campaign_counts WHERE campaign_id = $campaign AND counter = 'outbox_status')
               AND sent_at >= $sent AND sent_at < $sent_hour_at);
        """;

    public async ValueTask<CampaignLeadStatistics> GetCampaignStatisticsAsync(LeadStatisticsQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentOutOfRangeException.ThrowIfNegative(query.TopReasons);

        // Audit events appended without waiting may still be queued: commit them first, so every write whose call completed
        // before this one is counted. Returns at once when nothing is queued.
        await database.FlushAsync(cancellationToken).ConfigureAwait(false);
        return await database.ReadAsync(
            c =>
            {
                using var transaction = c.Connection.BeginTransaction(deferred: true);
                var counts = new Dictionary<LeadStatus, long>();
                long sent = 0, failed = 0;
                {
                    var command = Prepared(c, CountsSql, transaction);
                    command.With("$campaign", query.CampaignId);
                    using var reader = command.ExecuteReader();
                    while (reader.Read())
                    {
                        var key = reader.GetString(1);
                        var n = reader.GetInt64(2);
                        if (reader.GetString(0) == "lead_status")
                        {
                            counts[Enum<LeadStatus>(key)] = n;
                        }
                        else if (key == nameof(OutboxStatus.Sent))
                        {
                            sent = n;
                        }
                        else if (key == nameof(OutboxStatus.Failed))
                        {
                            failed = n;
                        }
                    }
                }

                var reasons = new List<ReasonCount>();
                {
                    var command = Prepared(c, ReasonsSql, transaction);
                    command.With("$campaign", query.CampaignId).With("$take", query.TopReasons);
                    using var reader = command.ExecuteReader();
                    while (reader.Read())
                    {
                        reasons.Add(new ReasonCount(reader.GetString(0), reader.GetInt64(1)));
                    }
                }

                long created, sentSince;
                {
                    var (createdHour, createdHourAt) = FirstWholeHour(query.CreatedSince);
                    var (sentHour, sentHourAt) = FirstWholeHour(query.SentSince);
                    var command = Prepared(c, WindowsSql, transaction);
                    command.With("$campaign", query.CampaignId)
                        .With("$created", Ticks(query.CreatedSince)).With("$created_hour", createdHour).With("$created_hour_at", createdHourAt)
                        .With("$sent", Ticks(query.SentSince)).With("$sent_hour", sentHour).With("$sent_hour_at", sentHourAt);
                    using var reader = command.ExecuteReader();
                    reader.Read();
                    (created, sentSince) = (reader.GetInt64(0), reader.GetInt64(1));
                }

                transaction.Commit();
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
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The reader's cached command for <paramref name="sql"/>, enlisted in this read's transaction.</summary>
    private static SqliteCommand Prepared(ReadContext c, string sql, SqliteTransaction transaction)
    {
        var command = c.Command(sql);
        command.Transaction = transaction;
        return command;
    }

    /// <summary>The first hour bucket that starts at or after <paramref name="since"/>, and its start in ticks.</summary>
    private static (long Hour, long StartTicks) FirstWholeHour(DateTimeOffset since)
    {
        var hour = (since.UtcTicks + TimeSpan.TicksPerHour - 1) / TimeSpan.TicksPerHour;
        return (hour, hour * TimeSpan.TicksPerHour);
    }
}
