using Aicmo.Sdk.Domain;
using Aicmo.Sdk.Identity;
using Aicmo.Sdk.Storage;
using Aicmo.Sdk.Storage.Sql;
using Npgsql;
using NpgsqlTypes;
using static Aicmo.Sdk.PostgreSql.PostgreSqlValues;

namespace Aicmo.Sdk.PostgreSql;

/// <summary>Campaigns in <c>campaigns</c>.</summary>
internal sealed class PostgreSqlCampaignRepository(PostgreSqlDatabase database) : ICampaignRepository
{
    private const string Select = "SELECT id, name, created_at, version, data FROM {s}.campaigns";

    public async ValueTask<Campaign?> GetAsync(string campaignId, CancellationToken cancellationToken = default)
    {
        await using var command = await database.CommandAsync(Select + " WHERE id = @id;", cancellationToken).ConfigureAwait(false);
        command.WithText("id", campaignId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? Read(reader) : null;
    }

    public async ValueTask<Campaign> GetOrAddAsync(Campaign campaign, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(campaign);
        await InsertAsync(campaign, cancellationToken).ConfigureAwait(false);
        return await GetAsync(campaign.Id, cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidOperationException($"Campaign '{campaign.Id}' vanished right after it was added.");
    }

    public async ValueTask<bool> TryAddAsync(Campaign campaign, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(campaign);
        return await InsertAsync(campaign, cancellationToken).ConfigureAwait(false) == 1;
    }

    public async ValueTask<bool> UpdateAsync(Campaign campaign, long expectedVersion, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(campaign);
        await using var command = await database.CommandAsync(
            "UPDATE {s}.campaigns SET name = @name, version = @version, data = @data WHERE id = @id AND version = @expected;", cancellationToken).ConfigureAwait(false);
        command.WithText("id", campaign.Id).WithText("name", campaign.Name).WithText("data", CampaignJson.Serialize(campaign))
            .With("version", campaign.Version).With("expected", expectedVersion);
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;
    }

    public async ValueTask<IReadOnlyList<Campaign>> ListAsync(CancellationToken cancellationToken = default)
    {
        await using var command = await database.CommandAsync(Select + " ORDER BY id COLLATE \"C\";", cancellationToken).ConfigureAwait(false);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var list = new List<Campaign>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            list.Add(Read(reader));
        }

        // "C" compares UTF-8 bytes; the contract orders by UTF-16 code unit (ordinal).
        list.Sort(static (a, b) => string.CompareOrdinal(a.Id, b.Id));
        return list;
    }

    private async Task<int> InsertAsync(Campaign campaign, CancellationToken cancellationToken)
    {
        await using var insert = await database.CommandAsync(
            "INSERT INTO {s}.campaigns (id, name, created_at, version, data) VALUES (@id, @name, @created, @version, @data) ON CONFLICT (id) DO NOTHING;",
            cancellationToken).ConfigureAwait(false);
        insert.WithText("id", campaign.Id).WithText("name", campaign.Name).With("created", campaign.CreatedAt)
            .With("version", campaign.Version).WithText("data", CampaignJson.Serialize(campaign));
        return await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private static Campaign Read(NpgsqlDataReader reader) => CampaignJson.Apply(
        new Campaign
        {
            Id = reader.GetString(0),
            Name = reader.NullableString(1),
            CreatedAt = reader.Instant(2),
            Version = reader.GetInt64(3),
        },
        reader.NullableString(4));
}
