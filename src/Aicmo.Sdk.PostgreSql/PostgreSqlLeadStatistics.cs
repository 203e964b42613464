using Aicmo.Sdk.Domain;
using Aicmo.Sdk.Storage;
using static Aicmo.Sdk.PostgreSql.PostgreSqlValues;

namespace Aicmo.Sdk.PostgreSql;

/// <summary>
/// A campaign's aggregate counts read from the counters of migration 9 (<c>campaign_counts</c> and <c>campaign_hourly_counts</c>),
/// which statement-level triggers write in the same transaction as every write of a lead, an audit event or an outbox entry. A
/// counter is the sum of its rows: writers only insert (their net change), so they never wait for each other on a counter, and a
/// read that finds many rows folds them into one per key. Only the part of a window before its first whole hour is counted from
/// the rows themselves, over <c>ix_leads_campaign_created</c> and <c>ix_outbox_campaign_status</c>.
/// </summary>
internal sealed class PostgreSqlLeadStatistics(PostgreSqlDatabase database) : ILeadStatistics
{
    // Rows beyond one per key that a read tolerates before it folds them.
    private const long FoldAfterExtraRows = 64;

    private const string ReadSql = """
        SELECT counter, key, sum(n)::bigint, count(*) FROM {s}.campaign_counts WHERE campaign_id = @campaign GROUP BY counter, key;
        SELECT
          coalesce((SELECT sum(n) FROM {s}.campaign_hourly_counts
                    WHERE campaign_id = @campaign AND counter = 'lead_created' AND hour >= @created_hour), 0)::bigint
          + (SELECT count(*) FROM {s}.leads WHERE campaign_id = @campaign AND created_at >= @created AND created_at < @created_hour_at),
          coalesce((SELECT sum(n) FROM {s}.campaign_hourly_counts
                    WHERE campaign_id = @campaign AND counter = 'outbox_sent' AND hour >= @sent_hour), 0)::bigint
          + (SELECT count(*) FROM {s}.outbox
             WHERE campaign_id = @campaign
               AND status IN (SELECT key FROM {s}.campaign_counts WHERE campaign_id = @campaign AND counter = 'outbox_status')
               AND sent_at >= @sent AND sent_at < @sent_hour_at),
          (SELECT count(*) - count(DISTINCT (counter, hour)) FROM {s}.campaign_hourly_counts WHERE campaign_id = @campaign);
        """;

    // One statement, so one transaction: a campaign's rows are replaced by their sums, or (when another read is folding them,
    // holding the advisory lock) left alone. Rows inserted meanwhile by writers are not seen by the delete and stay.
    private const string FoldSql = """
        WITH folding AS (SELECT pg_try_advisory_xact_lock(hashtext(@lock)) AS locked),
        counts AS (
            DELETE FROM {s}.campaign_counts WHERE campaign_id = @campaign AND (SELECT locked FROM folding) RETURNING counter, key, n),
        hours AS (
            DELETE FROM {s}.campaign_hourly_counts WHERE campaign_id = @campaign AND (SELECT locked FROM folding) RETURNING counter, hour, n),
        folded AS (
            INSERT INTO {s}.campaign_counts (campaign_id, counter, key, n)
            SELECT @campaign, counter, key, sum(n) FROM counts GROUP BY counter, key HAVING sum(n) <> 0)
        INSERT INTO {s}.campaign_hourly_counts (campaign_id, counter, hour, n)
        SELECT @campaign, counter, hour, sum(n) FROM hours GROUP BY counter, hour HAVING sum(n) <> 0;
        """;

    public async ValueTask<CampaignLeadStatistics> GetCampaignStatisticsAsync(LeadStatisticsQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentOutOfRangeException.ThrowIfNegative(query.TopReasons);
        // Audit events appended without waiting may still be queued: written first, so every write whose call completed before
        // this one is counted. Returns at once when nothing is queued.
        await database.FlushAuditsAsync().ConfigureAwait(false);
        var counts = new Dictionary<LeadStatus, long>();
        var reasons = new List<ReasonCount>();
        long sent = 0, failed = 0, created, sentSince, extraRows = 0;
        var (createdHour, createdHourAt) = FirstWholeHour(query.CreatedSince);
        var (sentHour, sentHourAt) = FirstWholeHour(query.SentSince);
        await using (var command = await database.CommandAsync(ReadSql, cancellationToken).ConfigureAwait(false))
        {
            command.WithText("campaign", query.CampaignId)
                .With("created", query.CreatedSince).With("created_hour", createdHour).With("created_hour_at", createdHourAt)
                .With("sent", query.SentSince).With("sent_hour", sentHour).With("sent_hour_at", sentHourAt);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                var (counter, key, n) = (reader.GetString(0), reader.GetString(1), reader.GetInt64(2));
                extraRows += reader.GetInt64(3) - 1;
                if (n <= 0)
                {
                    continue;
                }

                switch (counter)
                {
                    case "lead_status":
                        counts[Enum<LeadStatus>(key)] = n;
                        break;
                    case "disqualified":
                        reasons.Add(new ReasonCount(key, n));
                        break;
                    case "outbox_status" when key == nameof(OutboxStatus.Sent):
                        sent = n;
                        break;
                    case "outbox_status" when key == nameof(OutboxStatus.Failed):
                        failed = n;
                        break;
                }
            }

            await reader.NextResultAsync(cancellationToken).ConfigureAwait(false);
            await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            (created, sentSince) = (reader.GetInt64(0), reader.GetInt64(1));
            extraRows += reader.GetInt64(2);
        }

        if (extraRows > FoldAfterExtraRows)
        {
            await FoldAsync(query.CampaignId, cancellationToken).ConfigureAwait(false);
        }

        // Most frequent first, ties by reason in ordinal order (as the other stores order them).
        reasons.Sort(static (a, b) => a.Count != b.Count ? b.Count.CompareTo(a.Count) : string.CompareOrdinal(a.Reason, b.Reason));
        return new CampaignLeadStatistics
        {
            CampaignId = query.CampaignId,
            Counts = counts,
            TopDisqualificationReasons = reasons.Count > query.TopReasons ? reasons.GetRange(0, query.TopReasons) : reasons,
            LeadsCreatedSince = created,
            EmailsSent = sent,
            EmailsSentSince = sentSince,
            EmailsFailed = failed,
        };
    }

    private async ValueTask FoldAsync(string campaignId, CancellationToken cancellationToken)
    {
        await using var command = await database.CommandAsync(FoldSql, cancellationToken).ConfigureAwait(false);
        command.WithText("campaign", campaignId).WithText("lock", "aicmo.sdk.counts:" + database.Schema + ":" + campaignId);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The first hour (whole hours since the Unix epoch) that starts at or after <paramref name="since"/>, and its start.</summary>
    private static (long Hour, DateTimeOffset Start) FirstWholeHour(DateTimeOffset since)
    {
        var ticks = since.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks;

        // Integer division truncates toward zero: the ceiling for a negative dividend, the floor (then + 1 unless exact) otherwise.
        var hour = ticks >= 0 ? (ticks + TimeSpan.TicksPerHour - 1) / TimeSpan.TicksPerHour : ticks / TimeSpan.TicksPerHour;
        var start = hour * TimeSpan.TicksPerHour;
        return (hour, start > DateTimeOffset.MaxValue.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks ? DateTimeOffset.MaxValue : DateTimeOffset.UnixEpoch.AddTicks(start));
    }
}
