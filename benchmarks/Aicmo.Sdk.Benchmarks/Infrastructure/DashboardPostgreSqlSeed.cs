using Npgsql;

namespace Aicmo.Sdk.Benchmarks.Infrastructure;

/// <summary>
/// Seeds the dashboard benchmark's campaign into a PostgreSQL schema the store has created, with one statement per table run by
/// the server (generate_series): the same mix of states, disqualification reasons and sends as the SQLite seed.
/// </summary>
public static class DashboardPostgreSqlSeed
{
    public static async Task SeedAsync(string connectionString, string schema, string campaignId, int leads, Guid runId)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var tx = await connection.BeginTransactionAsync();
        await using var command = connection.CreateCommand();
        command.Transaction = tx;
        command.CommandTimeout = 0;
        command.CommandText = $"""
            INSERT INTO "{schema}".leads (id, campaign_id, identity_key, status, version, run_id, created_at, updated_at, data)
            SELECT gen_random_uuid(), @campaign, 'e:person' || i || '@example.com',
                   (ARRAY['Contacted','Contacted','Routed','Disqualified','Disqualified','Disqualified','ManualReview','Qualified','Scored','Quarantined'])[i % 10 + 1],
                   1, @run, now() - (i % 20000) * interval '1 minute', now() - (i % 20000) * interval '1 minute', jsonb_build_object()
            FROM generate_series(0, @leads - 1) AS i;

            INSERT INTO "{schema}".audit_events (lead_id, campaign_id, run_id, sequence, stage, from_status, to_status, reason, at)
            SELECT id, campaign_id, run_id, 4, 'qualify', 'Scored', 'Disqualified',
                   (ARRAY['company too small','country not served','score below 40','title not a buyer'])[(row_number() OVER (ORDER BY id)) % 4 + 1],
                   created_at
            FROM "{schema}".leads WHERE campaign_id = @campaign AND status = 'Disqualified';

            INSERT INTO "{schema}".outbox (lead_id, sequence, step, campaign_id, recipient, subject, status, attempts, created_at, sent_at)
            SELECT id, 'enterprise', 1, campaign_id, substr(identity_key, 3), 'Hello', 'Sent', 1, created_at,
                   CASE WHEN (row_number() OVER (ORDER BY id)) % 2 = 0 THEN now() ELSE now() - interval '3 days' END
            FROM "{schema}".leads WHERE campaign_id = @campaign AND status = 'Contacted';
            """;
        command.Parameters.AddWithValue("campaign", campaignId);
        command.Parameters.AddWithValue("run", runId);
        command.Parameters.AddWithValue("leads", leads);
        await command.ExecuteNonQueryAsync();
        await tx.CommitAsync();

        // VACUUM runs outside a transaction, one table per statement: the visibility map lets later counts use index-only scans.
        command.Transaction = null;
        command.Parameters.Clear();
        foreach (var table in new[] { "leads", "audit_events", "outbox" })
        {
            command.CommandText = $"""VACUUM ANALYZE "{schema}".{table};""";
            await command.ExecuteNonQueryAsync();
        }
    }
}
