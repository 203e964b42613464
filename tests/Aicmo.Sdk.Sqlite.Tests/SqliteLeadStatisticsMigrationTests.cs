using Aicmo.Sdk.Domain;
using Aicmo.Sdk.Storage;
using Microsoft.Data.Sqlite;

namespace Aicmo.Sdk.Sqlite.Tests;

/// <summary>Migration 9 on a database that already holds leads, events and sends: the counters start from the rows stored.</summary>
public sealed class SqliteLeadStatisticsMigrationTests
{
    [Fact]
    public async Task Migration9_OnADatabaseWithRows_CountsTheRowsAlreadyStored()
    {
        await using var owner = new SqliteTestDatabase();
        Directory.CreateDirectory(owner.Directory);
        var hour = new DateTimeOffset(2025, 6, 2, 10, 0, 0, TimeSpan.Zero);
        await using (var connection = new SqliteConnection(owner.ConnectionString))
        {
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = "CREATE TABLE aicmo_schema_version (version INTEGER NOT NULL PRIMARY KEY, description TEXT NOT NULL, applied_at TEXT NOT NULL);";
            await command.ExecuteNonQueryAsync();
            foreach (var (version, _, sql) in SqliteSchema.Migrations.Where(m => m.Version < 9))
            {
                command.CommandText = sql + $"\nINSERT INTO aicmo_schema_version VALUES ({version}, 'before 9', 'then');";
                await command.ExecuteNonQueryAsync();
            }

            var statuses = new[] { "Routed", "Disqualified", "Disqualified", "Contacted", "New" };
            for (var i = 0; i < statuses.Length; i++)
            {
                var id = Guid.NewGuid().ToString("D");
                command.CommandText = """
                    INSERT INTO aicmo_leads (id, campaign_id, identity_key, status, version, run_id, created_at, updated_at, data)
                    VALUES ($id, 'old', $key, $status, 1, 'run', $at, $at, '{}');
                    INSERT INTO aicmo_audit_events (lead_id, campaign_id, run_id, sequence, stage, from_status, to_status, reason, at)
                    SELECT $id, 'old', 'run', 1, 'qualify', 'Scored', 'Disqualified', 'too small', $at WHERE $status = 'Disqualified';
                    INSERT INTO aicmo_outbox (lead_id, sequence, step, campaign_id, recipient, subject, status, attempts, created_at, sent_at)
                    SELECT $id, 'enterprise', 1, 'old', 'a@example.com', 'Hello', 'Sent', 1, $at, $at WHERE $status = 'Contacted';
                    """;
                command.Parameters.Clear();
                command.Parameters.AddWithValue("$id", id);
                command.Parameters.AddWithValue("$key", "e:" + id);
                command.Parameters.AddWithValue("$status", statuses[i]);
                command.Parameters.AddWithValue("$at", hour.AddMinutes(i * 25).UtcTicks);
                await command.ExecuteNonQueryAsync();
            }
        }

        var result = await owner.Get<ILeadStatistics>().GetCampaignStatisticsAsync(new LeadStatisticsQuery
        {
            CampaignId = "old",
            CreatedSince = hour.AddMinutes(30),
            SentSince = hour,
        });

        Assert.Equal(5, result.Total);
        Assert.Equal(2, result[LeadStatus.Disqualified]);
        Assert.Equal(1, result[LeadStatus.New]);
        Assert.Equal([new ReasonCount("too small", 2)], result.TopDisqualificationReasons);
        Assert.Equal(3, result.LeadsCreatedSince);
        Assert.Equal(1, result.EmailsSent);
        Assert.Equal(1, result.EmailsSentSince);
    }
}
