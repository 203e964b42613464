using Aicmo.Sdk.Domain;
using Aicmo.Sdk.Storage;
using Aicmo.Sdk.Storage.Sql;
using Microsoft.Data.Sqlite;
using static Aicmo.Sdk.Sqlite.SqliteValues;

namespace Aicmo.Sdk.Sqlite;

/// <summary>Leads in <c>aicmo_leads</c>: a JSON document per lead, with the columns that are indexed or compared copied out of it.</summary>
internal sealed class SqliteLeadRepository(SqliteDatabase database) : ILeadRepository
{
    private const int ConstraintPrimaryKey = 1555;
    private const int ConstraintUnique = 2067;

    private const string InsertSql = """
        INSERT INTO aicmo_leads (id, campaign_id, identity_key, status, version, run_id, created_at, updated_at, data)
        VALUES ($id, $campaign, $key, $status, $version, $run, $created, $updated, $data)
        ON CONFLICT (campaign_id, identity_key) DO NOTHING;
        """;

    private const string UpdateSql = """
        UPDATE aicmo_leads SET status = $status, version = $version, run_id = $run, updated_at = $updated, data = $data
        WHERE id = $id AND version = $expected AND campaign_id = $campaign AND identity_key = $key;
        """;

    private const string SelectColumns = "SELECT data FROM aicmo_leads ";

    public ValueTask<bool> TryAddAsync(Lead lead, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(lead);
        ArgumentException.ThrowIfNullOrEmpty(lead.IdentityKey, nameof(lead));
        var data = StoreJson.Serialize(lead);
        var id = Id(lead.Id);
        var campaign = lead.CampaignId;
        var key = lead.IdentityKey;
        var status = lead.Status.ToString();
        var version = lead.Version;
        var run = Id(lead.RunId);
        var created = Ticks(lead.CreatedAt);
        var updated = Ticks(lead.UpdatedAt);
        return database.WriteAsync(
            w =>
            {
                try
                {
                    return w.Command(InsertSql)
                        .With("$id", id).With("$campaign", campaign).With("$key", key).With("$status", status).With("$version", version)
                        .With("$run", run).With("$created", created).With("$updated", updated).With("$data", data)
                        .ExecuteNonQuery() == 1;
                }
                catch (SqliteException ex) when (ex.SqliteExtendedErrorCode is ConstraintPrimaryKey or ConstraintUnique)
                {
                    // The id is taken. Under the same identity that is the same duplicate; under another it is a caller bug.
                    var sameIdentity = w.Command("SELECT 1 FROM aicmo_leads WHERE campaign_id = $campaign AND identity_key = $key;")
                        .With("$campaign", campaign).With("$key", key).ExecuteScalar() is not null;
                    return sameIdentity ? false : throw new InvalidOperationException($"A lead with id {id} already exists.", ex);
                }
            },
            cancellationToken);
    }

    public ValueTask<bool> UpdateAsync(Lead lead, long expectedVersion, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(lead);
        var data = StoreJson.Serialize(lead);
        var id = Id(lead.Id);
        var campaign = lead.CampaignId;
        var key = lead.IdentityKey;
        var status = lead.Status.ToString();
        var version = lead.Version;
        var run = Id(lead.RunId);
        var updated = Ticks(lead.UpdatedAt);
        return database.WriteAsync(
            w =>
            {
                var changed = w.Command(UpdateSql)
                    .With("$id", id).With("$expected", expectedVersion).With("$campaign", campaign).With("$key", key).With("$status", status)
                    .With("$version", version).With("$run", run).With("$updated", updated).With("$data", data)
                    .ExecuteNonQuery();
                if (changed == 1)
                {
                    return true;
                }

                using var reader = w.Command("SELECT version FROM aicmo_leads WHERE id = $id;").With("$id", id).ExecuteReader();
                if (reader.Read() && reader.GetInt64(0) == expectedVersion)
                {
                    throw new InvalidOperationException("The campaign and identity key of a stored lead cannot change.");
                }

                return false;
            },
            cancellationToken,
            lead.Id);
    }

    public ValueTask<bool> EraseAsync(Lead anonymized, long expectedVersion, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(anonymized);
        ArgumentException.ThrowIfNullOrEmpty(anonymized.IdentityKey, nameof(anonymized));
        var data = StoreJson.Serialize(anonymized);
        var id = Id(anonymized.Id);
        var key = anonymized.IdentityKey;
        var status = anonymized.Status.ToString();
        var version = anonymized.Version;
        var updated = Ticks(anonymized.UpdatedAt);
        return database.WriteAsync(
            w => w.Command("""
                    UPDATE aicmo_leads SET identity_key = $key, status = $status, version = $version, updated_at = $updated, data = $data
                    WHERE id = $id AND version = $expected;
                    """)
                .With("$id", id).With("$expected", expectedVersion).With("$key", key).With("$status", status).With("$version", version)
                .With("$updated", updated).With("$data", data)
                .ExecuteNonQuery() == 1,
            cancellationToken,
            anonymized.Id);
    }

    public ValueTask<Lead?> GetAsync(Guid leadId, CancellationToken cancellationToken = default) =>
        database.ReadAsync(
            c => ReadOne(c, SelectColumns + "WHERE id = $id;", cmd => cmd.With("$id", Id(leadId))),
            cancellationToken);

    public ValueTask<Lead?> FindByIdentityAsync(string campaignId, string identityKey, CancellationToken cancellationToken = default) =>
        database.ReadAsync(
            c => ReadOne(c, SelectColumns + "WHERE campaign_id = $campaign AND identity_key = $key;", cmd => cmd.With("$campaign", campaignId).With("$key", identityKey)),
            cancellationToken);

    public ValueTask<IReadOnlyList<Lead>> QueryAsync(LeadQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentOutOfRangeException.ThrowIfNegative(query.Skip);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(query.Take);
        var sql = SelectColumns + (query.Status is null
            ? "WHERE campaign_id = $campaign ORDER BY created_at, id LIMIT $take OFFSET $skip;"
            : "WHERE campaign_id = $campaign AND status = $status ORDER BY created_at, id LIMIT $take OFFSET $skip;");
        return database.ReadAsync<IReadOnlyList<Lead>>(
            c =>
            {
                using var command = c.CreateCommand();
                command.CommandText = sql;
                command.With("$campaign", query.CampaignId).With("$take", query.Take).With("$skip", query.Skip);
                if (query.Status is { } status)
                {
                    command.With("$status", status.ToString());
                }

                var leads = new List<Lead>(Math.Min(query.Take, 1024));
                using var reader = command.ExecuteReader();
                while (reader.Read())
                {
                    leads.Add(StoreJson.DeserializeLead(reader.GetString(0)));
                }

                return leads;
            },
            cancellationToken);
    }

    public ValueTask<long> CountAsync(string campaignId, LeadStatus? status = null, CancellationToken cancellationToken = default) =>
        database.ReadAsync(
            c =>
            {
                using var command = c.CreateCommand();
                command.CommandText = status is null
                    ? "SELECT COUNT(*) FROM aicmo_leads WHERE campaign_id = $campaign;"
                    : "SELECT COUNT(*) FROM aicmo_leads WHERE campaign_id = $campaign AND status = $status;";
                command.With("$campaign", campaignId);
                if (status is { } s)
                {
                    command.With("$status", s.ToString());
                }

                return (long)command.ExecuteScalar()!;
            },
            cancellationToken);

    public ValueTask<IReadOnlyDictionary<LeadStatus, long>> CountByStatusAsync(string campaignId, Guid? runId = null, CancellationToken cancellationToken = default) =>
        database.ReadAsync<IReadOnlyDictionary<LeadStatus, long>>(
            c =>
            {
                using var command = c.CreateCommand();
                command.CommandText = runId is null
                    ? "SELECT status, COUNT(*) FROM aicmo_leads WHERE campaign_id = $campaign GROUP BY status;"
                    : "SELECT status, COUNT(*) FROM aicmo_leads WHERE run_id = $run AND campaign_id = $campaign GROUP BY status;";
                command.With("$campaign", campaignId);
                if (runId is { } run)
                {
                    command.With("$run", Id(run));
                }

                var counts = new Dictionary<LeadStatus, long>();
                using var reader = command.ExecuteReader();
                while (reader.Read())
                {
                    counts[SqliteValues.Enum<LeadStatus>(reader.GetString(0))] = reader.GetInt64(1);
                }

                return counts;
            },
            cancellationToken);

    private static Lead? ReadOne(ReadContext context, string sql, Action<SqliteCommand> bind)
    {
        var command = context.Command(sql);
        bind(command);
        using var reader = command.ExecuteReader();
        return reader.Read() ? StoreJson.DeserializeLead(reader.GetString(0)) : null;
    }
}
