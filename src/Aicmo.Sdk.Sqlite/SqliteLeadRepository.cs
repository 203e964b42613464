using Aicmo.Sdk.Domain;
using Aicmo.Sdk.Storage;
using Aicmo.Sdk.Storage.Sql;
using Microsoft.Data.Sqlite;
using static Aicmo.Sdk.Sqlite.SqliteValues;

namespace Aicmo.Sdk.Sqlite;

/// <summary>Leads in <c>aicmo_leads</c>: a JSON document per lead, with the columns that are indexed or compared copied out of it.</summary>
internal sealed partial class SqliteLeadRepository(SqliteDatabase database) : ILeadRepository
{
    private const int ConstraintPrimaryKey = 1555;
    private const int ConstraintUnique = 2067;

    // Positional parameters, bound by SqliteStatement: ?1 id, ?2 campaign, ?3 identity key, ?4 status, ?5 version, ?6 run,
    // ?7 created (insert) or expected version (update), ?8 updated, ?9 document.
    private const string InsertSql = """
        INSERT INTO aicmo_leads (id, campaign_id, identity_key, status, version, run_id, created_at, updated_at, data)
        VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)
        ON CONFLICT (campaign_id, identity_key) DO NOTHING;
        """;

    private const string UpdateSql = """
        UPDATE aicmo_leads SET status = ?4, version = ?5, run_id = ?6, updated_at = ?8, data = ?9
        WHERE id = ?1 AND version = ?7 AND campaign_id = ?2 AND identity_key = ?3;
        """;

    private const string IdentityTakenSql = "SELECT 1 FROM aicmo_leads WHERE campaign_id = ?1 AND identity_key = ?2;";

    private const string VersionSql = "SELECT version FROM aicmo_leads WHERE id = ?1;";

    private const string SelectColumns = "SELECT data FROM aicmo_leads ";

    public ValueTask<bool> TryAddAsync(Lead lead, CancellationToken cancellationToken = default)
    {
        var row = LeadRow.ForAdd(lead, nameof(lead));
        return database.WriteAsync(w => Insert(w, row), cancellationToken);
    }

    public ValueTask TryAddManyAsync(ReadOnlyMemory<Lead> leads, Memory<bool> added, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(added.Length, leads.Length, nameof(added));
        if (leads.IsEmpty)
        {
            return ValueTask.CompletedTask;
        }

        // Checked and serialized on the caller's thread, before anything is queued: a bad lead fails the call with nothing written.
        var rows = new LeadRow[leads.Length];
        var span = leads.Span;
        for (var i = 0; i < rows.Length; i++)
        {
            rows[i] = LeadRow.ForAdd(span[i], nameof(leads));
        }

        // One atomic write: the rows go in one after another, so a lead earlier in the batch is there when a later one with its
        // identity comes; should one fail (an id taken under another identity), none is stored and the call throws.
        return new ValueTask(database.WriteAsync(
            w =>
            {
                var results = added.Span;
                for (var i = 0; i < rows.Length; i++)
                {
                    results[i] = Insert(w, rows[i]);
                }

                return true;
            },
            cancellationToken,
            atomic: true).AsTask());
    }

    public ValueTask<bool> UpdateAsync(Lead lead, long expectedVersion, CancellationToken cancellationToken = default)
    {
        var row = LeadRow.ForUpdate(lead, expectedVersion, nameof(lead));
        return database.WriteAsync(w => Update(w, row), cancellationToken, lead.Id);
    }

    public ValueTask UpdateManyAsync(ReadOnlyMemory<LeadUpdate> updates, Memory<bool> updated, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(updated.Length, updates.Length, nameof(updated));
        if (updates.IsEmpty)
        {
            return ValueTask.CompletedTask;
        }

        var rows = new LeadRow[updates.Length];
        var span = updates.Span;
        for (var i = 0; i < rows.Length; i++)
        {
            rows[i] = LeadRow.ForUpdate(span[i].Lead, span[i].ExpectedVersion, nameof(updates));
        }

        return new ValueTask(database.WriteAsync(
            w =>
            {
                // A lead whose audit event was lost is not stored past it (as UpdateAsync does for one lead): the call fails whole.
                foreach (var row in rows)
                {
                    database.ThrowIfDeferredWriteFailed(row.Id);
                }

                var results = updated.Span;
                for (var i = 0; i < rows.Length; i++)
                {
                    results[i] = Update(w, rows[i]);
                }

                return true;
            },
            cancellationToken,
            atomic: true).AsTask());
    }

    private static bool Insert(WriteContext w, in LeadRow row)
    {
        try
        {
            return row.Bind(w.Statement(InsertSql), row.CreatedAt).Execute() == 1;
        }
        catch (SqliteException ex) when (ex.SqliteExtendedErrorCode is ConstraintPrimaryKey or ConstraintUnique)
        {
            // The id is taken. Under the same identity that is the same duplicate; under another it is a caller bug.
            bool sameIdentity;
            using (var rows = w.Statement(IdentityTakenSql).Bind(1, row.CampaignId).Bind(2, row.IdentityKey).Query())
            {
                sameIdentity = rows.Read();
            }

            return sameIdentity ? false : throw new InvalidOperationException($"A lead with id {Id(row.Id)} already exists.", ex);
        }
        finally
        {
            row.Release();
        }
    }

    private static bool Update(WriteContext w, in LeadRow row)
    {
        try
        {
            if (row.Bind(w.Statement(UpdateSql), row.ExpectedVersion).Execute() == 1)
            {
                return true;
            }
        }
        finally
        {
            row.Release();
        }

        var statement = w.Statement(VersionSql).Bind(1, row.Id);
        using var rows = statement.Query();
        if (rows.Read() && statement.GetInt64(0) == row.ExpectedVersion)
        {
            throw new InvalidOperationException("The campaign and identity key of a stored lead cannot change.");
        }

        return false;
    }

    public ValueTask<bool> EraseAsync(Lead anonymized, long expectedVersion, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(anonymized);
        return database.WriteAsync(Erasure(anonymized, expectedVersion), cancellationToken, anonymized.Id);
    }

    private static Func<WriteContext, bool> Erasure(Lead anonymized, long expectedVersion)
    {
        ArgumentException.ThrowIfNullOrEmpty(anonymized.IdentityKey, nameof(anonymized));
        var data = StoreJson.Serialize(anonymized);
        var id = Id(anonymized.Id);
        var key = anonymized.IdentityKey;
        var status = anonymized.Status.ToString();
        var version = anonymized.Version;
        var updated = Ticks(anonymized.UpdatedAt);
        return w => w.Command("""
                UPDATE aicmo_leads SET identity_key = $key, status = $status, version = $version, updated_at = $updated, data = $data
                WHERE id = $id AND version = $expected;
                """)
            .With("$id", id).With("$expected", expectedVersion).With("$key", key).With("$status", status).With("$version", version)
            .With("$updated", updated).With("$data", data)
            .ExecuteNonQuery() == 1;
    }

    public ValueTask<Lead?> GetAsync(Guid leadId, CancellationToken cancellationToken = default) =>
        database.ReadAsync(
            c => ReadOne(c, SelectColumns + "WHERE id = ?1;", st => st.Bind(1, leadId)),
            cancellationToken);

    // One read on one connection, the primary-key statement prepared once and run per id: in process there is no round trip to
    // save, and an index lookup per id beats building an IN list of varying length (a statement per length).
    public ValueTask<IReadOnlyList<Lead?>> GetManyAsync(IReadOnlyList<Guid> leadIds, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(leadIds);
        if (leadIds.Count == 0)
        {
            return new(Array.Empty<Lead?>());
        }

        return database.ReadAsync<IReadOnlyList<Lead?>>(
            c =>
            {
                var leads = new Lead?[leadIds.Count];
                for (var i = 0; i < leads.Length; i++)
                {
                    var id = leadIds[i];
                    leads[i] = ReadOne(c, SelectColumns + "WHERE id = ?1;", st => st.Bind(1, id));
                }

                return leads;
            },
            cancellationToken);
    }

    public ValueTask<Lead?> FindByIdentityAsync(string campaignId, string identityKey, CancellationToken cancellationToken = default) =>
        database.ReadAsync(
            c => ReadOne(c, SelectColumns + "WHERE campaign_id = ?1 AND identity_key = ?2;", st => st.Bind(1, campaignId).Bind(2, identityKey)),
            cancellationToken);

    public ValueTask<IReadOnlyList<Lead>> QueryAsync(LeadQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentOutOfRangeException.ThrowIfNegative(query.Skip);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(query.Take);
        var sql = SelectColumns + "WHERE campaign_id = $campaign"
            + (query.Status is null ? string.Empty : " AND status = $status")
            + (query.After is null ? string.Empty : " AND (created_at > $after_at OR (created_at = $after_at AND id > $after_id))")
            + " ORDER BY created_at, id LIMIT $take OFFSET $skip;";
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

                if (query.After is { } after)
                {
                    command.With("$after_at", Ticks(after.CreatedAt)).With("$after_id", Id(after.Id));
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

    public ValueTask<IReadOnlyList<Lead>> ListByRunAsync(LeadRunQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(query.Take);
        var statuses = query.Statuses;
        var sql = new System.Text.StringBuilder(SelectColumns).Append("WHERE run_id = $run");
        if (statuses is not null)
        {
            sql.Append(" AND status IN (");
            for (var i = 0; i < statuses.Count; i++)
            {
                sql.Append(i == 0 ? "$s" : ", $s").Append(i);
            }

            sql.Append(')');
        }

        // Ids are stored as canonical lower-case text, so text order is a total order on them: the key to page on
        // (ix_aicmo_leads_run_id serves the run and the order).
        sql.Append(query.After is null ? " ORDER BY id LIMIT $take;" : " AND id > $after ORDER BY id LIMIT $take;");
        var text = sql.ToString();
        return database.ReadAsync<IReadOnlyList<Lead>>(
            c =>
            {
                using var command = c.CreateCommand();
                command.CommandText = text;
                command.With("$run", Id(query.RunId)).With("$take", query.Take);
                if (query.After is { } after)
                {
                    command.With("$after", Id(after));
                }

                for (var i = 0; i < (statuses?.Count ?? 0); i++)
                {
                    command.With("$s" + i.ToString(System.Globalization.CultureInfo.InvariantCulture), statuses![i].ToString());
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

    private static Lead? ReadOne(ReadContext context, string sql, Action<SqliteStatement> bind)
    {
        var statement = context.Statement(sql);
        bind(statement);
        using var rows = statement.Query();
        return rows.Read() ? StoreJson.DeserializeLead(statement.GetUtf8(0)) : null;
    }

    /// <summary>A lead's columns and document, taken on the caller's thread so the writer only binds them.</summary>
    private readonly struct LeadRow
    {
        private readonly StoreJson.PooledUtf8 _data;
        private readonly LeadStatus _status;

        private LeadRow(Lead lead, long expectedVersion)
        {
            Id = lead.Id;
            CampaignId = lead.CampaignId;
            IdentityKey = lead.IdentityKey;
            _status = lead.Status;
            Version = lead.Version;
            RunId = lead.RunId;
            CreatedAt = Ticks(lead.CreatedAt);
            UpdatedAt = Ticks(lead.UpdatedAt);
            ExpectedVersion = expectedVersion;
            _data = StoreJson.SerializeToPooledUtf8(lead);
        }

        public Guid Id { get; }

        public string CampaignId { get; }

        public string IdentityKey { get; }

        public long Version { get; }

        public Guid RunId { get; }

        public long CreatedAt { get; }

        public long UpdatedAt { get; }

        public long ExpectedVersion { get; }

        public static LeadRow ForAdd(Lead lead, string paramName)
        {
            ArgumentNullException.ThrowIfNull(lead, paramName);
            ArgumentException.ThrowIfNullOrEmpty(lead.IdentityKey, paramName);
            return new LeadRow(lead, 0);
        }

        public static LeadRow ForUpdate(Lead lead, long expectedVersion, string paramName)
        {
            ArgumentNullException.ThrowIfNull(lead, paramName);
            return new LeadRow(lead, expectedVersion);
        }

        /// <summary>Binds every parameter of <see cref="InsertSql"/> or <see cref="UpdateSql"/>; <paramref name="seventh"/> is the one that differs.</summary>
        public SqliteStatement Bind(SqliteStatement statement, long seventh) => statement
            .Bind(1, Id).Bind(2, CampaignId).Bind(3, IdentityKey).Bind(4, Name(_status)).Bind(5, Version).Bind(6, RunId)
            .Bind(7, seventh).Bind(8, UpdatedAt).BindUtf8(9, _data.Span);

        /// <summary>Gives the document's buffer back once it is bound (SQLite copied it).</summary>
        public void Release() => _data.Return();
    }
}
