using Aicmo.Sdk.Domain;
using Aicmo.Sdk.Identity;
using Aicmo.Sdk.Storage;
using Aicmo.Sdk.Storage.Sql;
using Microsoft.Data.Sqlite;
using static Aicmo.Sdk.Sqlite.SqliteValues;

namespace Aicmo.Sdk.Sqlite;

/// <summary>Campaigns in <c>aicmo_campaigns</c>: id, name, creation time and version as columns, the rest as a JSON document.</summary>
internal sealed class SqliteCampaignRepository(SqliteDatabase database) : ICampaignRepository
{
    private const string Select = "SELECT id, name, created_at, version, data FROM aicmo_campaigns";

    public ValueTask<Campaign?> GetAsync(string campaignId, CancellationToken cancellationToken = default) =>
        database.ReadAsync(
            c =>
            {
                using var command = c.CreateCommand();
                command.CommandText = Select + " WHERE id = $id;";
                command.With("$id", campaignId);
                using var reader = command.ExecuteReader();
                return reader.Read() ? Read(reader) : null;
            },
            cancellationToken);

    public ValueTask<Campaign> GetOrAddAsync(Campaign campaign, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(campaign);
        return database.WriteAsync(
            w =>
            {
                Insert(w, campaign);
                using var reader = w.Command(Select + " WHERE id = $id;").With("$id", campaign.Id).ExecuteReader();
                reader.Read();
                return Read(reader);
            },
            cancellationToken);
    }

    public ValueTask<bool> TryAddAsync(Campaign campaign, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(campaign);
        return database.WriteAsync(w => Insert(w, campaign) == 1, cancellationToken);
    }

    public ValueTask<bool> UpdateAsync(Campaign campaign, long expectedVersion, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(campaign);
        return database.WriteAsync(
            w => w.Command("UPDATE aicmo_campaigns SET name = $name, version = $version, data = $data WHERE id = $id AND version = $expected;")
                .With("$id", campaign.Id).With("$name", campaign.Name).With("$version", campaign.Version)
                .With("$data", CampaignJson.Serialize(campaign)).With("$expected", expectedVersion)
                .ExecuteNonQuery() == 1,
            cancellationToken);
    }

    public ValueTask<IReadOnlyList<Campaign>> ListAsync(CancellationToken cancellationToken = default) =>
        database.ReadAsync<IReadOnlyList<Campaign>>(
            c =>
            {
                using var command = c.CreateCommand();
                command.CommandText = Select + " ORDER BY id;";
                using var reader = command.ExecuteReader();
                var list = new List<Campaign>();
                while (reader.Read())
                {
                    list.Add(Read(reader));
                }

                // SQLite compares UTF-8 bytes; the contract orders by UTF-16 code unit (ordinal).
                list.Sort(static (a, b) => string.CompareOrdinal(a.Id, b.Id));
                return list;
            },
            cancellationToken);

    private static int Insert(WriteContext w, Campaign campaign) =>
        w.Command("INSERT INTO aicmo_campaigns (id, name, created_at, version, data) VALUES ($id, $name, $created, $version, $data) ON CONFLICT (id) DO NOTHING;")
            .With("$id", campaign.Id).With("$name", campaign.Name).With("$created", Ticks(campaign.CreatedAt))
            .With("$version", campaign.Version).With("$data", CampaignJson.Serialize(campaign))
            .ExecuteNonQuery();

    private static Campaign Read(SqliteDataReader reader) => CampaignJson.Apply(
        new Campaign
        {
            Id = reader.GetString(0),
            Name = NullableString(reader, 1),
            CreatedAt = Instant(reader, 2),
            Version = reader.GetInt64(3),
        },
        NullableString(reader, 4));
}
