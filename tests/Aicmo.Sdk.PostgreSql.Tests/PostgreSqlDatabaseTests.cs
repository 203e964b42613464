using Aicmo.Sdk.Domain;
using Aicmo.Sdk.Pipeline;
using Aicmo.Sdk.Storage;
using Aicmo.Sdk.Testing;
using Aicmo.Sdk.Testing.Contracts;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Aicmo.Sdk.PostgreSql.Tests;

[SkipWithoutPostgreSql]
public sealed class PostgreSqlDatabaseTests
{
    [StoreFact]
    public async Task EnsureInitialized_ManyHostsAtOnce_MigrateOnceAndAllWork()
    {
        var schema = "t_" + Guid.NewGuid().ToString("N");
        var databases = Enumerable.Range(0, 6).Select(_ => NewDatabase(schema)).ToList();
        try
        {
            var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var tasks = databases.Select(d => Task.Run(async () =>
            {
                await start.Task;
                await d.EnsureInitializedAsync(CancellationToken.None);
            })).ToArray();
            start.SetResult();
            await Task.WhenAll(tasks);

            Assert.Equal(PostgreSqlSchema.Migrations.Select(m => m.Version).Order(), await QueryAsync<int>($"SELECT version FROM \"{schema}\".schema_version ORDER BY version;"));
        }
        finally
        {
            foreach (var d in databases)
            {
                await d.DisposeAsync();
            }

            await QueryAsync<int>($"DROP SCHEMA IF EXISTS \"{schema}\" CASCADE;");
        }
    }

    [StoreFact]
    public async Task EnsureInitialized_SchemaNewerThanPackage_FailsNamingVersions()
    {
        await using var db = new PostgreSqlTestDatabase();
        await db.Get<PostgreSqlDatabase>().EnsureInitializedAsync(CancellationToken.None);
        await QueryAsync<int>($"INSERT INTO \"{db.Schema}\".schema_version (version, description) VALUES (999, 'future');");

        await using var database = NewDatabase(db.Schema);
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => database.EnsureInitializedAsync(CancellationToken.None).AsTask());

        Assert.Contains("999", error.Message, StringComparison.Ordinal);
    }

    [StoreFact]
    public async Task TryAddAsync_TwoHostsWithTheirOwnPools_ExactlyOneAddsEachIdentity()
    {
        // Two database instances have two data sources, so two sets of server sessions: what two hosts would do.
        await using var db = new PostgreSqlTestDatabase();
        await using var other = NewDatabase(db.Schema);
        ILeadRepository[] stores = [db.Get<ILeadRepository>(), new PostgreSqlLeadRepository(other)];
        var campaign = ContractTestData.NewCampaignId();

        var results = await Task.WhenAll(Enumerable.Range(0, 200).Select(i => Task.Run(async () =>
            await stores[i % 2].TryAddAsync(ContractTestData.NewLead(campaign, $"e:p{i % 20}@example.com")))));

        Assert.Equal(20, results.Count(r => r));
        Assert.Equal(20, await stores[1].CountAsync(campaign));
    }

    [StoreFact]
    public async Task AppendAsync_ManyConcurrentWriters_WritesInBatches()
    {
        await using var db = new PostgreSqlTestDatabase(o => o.MaxWriteBatchDelay = TimeSpan.FromMilliseconds(20));
        var audit = db.Get<IAuditLog>();
        var database = db.Get<PostgreSqlDatabase>();
        await database.EnsureInitializedAsync(CancellationToken.None);
        var lead = Guid.NewGuid();

        await Task.WhenAll(Enumerable.Range(1, 500).Select(i => Task.Run(async () =>
            await audit.AppendAsync(new AuditEvent(lead, "c", Guid.Empty, i, "score", null, LeadStatus.New, "r", ContractTestData.BaseTime)))));

        Assert.Equal(500, (await audit.ReadAsync(lead)).Count);
        Assert.True(database.AuditBatches < 100, $"500 appends took {database.AuditBatches} statements");
    }

    [StoreFact]
    public async Task AppendAsync_OneBadEventInBatch_OnlyItIsLostAndTheLeadsNextUpdateFails()
    {
        await using var db = new PostgreSqlTestDatabase(o => o.MaxWriteBatchDelay = TimeSpan.FromMilliseconds(20));
        var audit = db.Get<IAuditLog>();
        var leads = db.Get<ILeadRepository>();
        var stored = ContractTestData.NewLead(ContractTestData.NewCampaignId());
        Assert.True(await leads.TryAddAsync(stored));
        var lead = stored.Id;

        // PostgreSQL text cannot hold NUL: the one event carrying it fails, the others are stored. Appends are not waited for,
        // so the loss surfaces where it matters: the lead's next state is refused, leaving no gap in its stored trail.
        await Task.WhenAll(Enumerable.Range(1, 20).Select(i => audit.AppendAsync(
            new AuditEvent(lead, "c", Guid.Empty, i, "score", null, LeadStatus.New, i == 7 ? "nul \0 here" : "ok", ContractTestData.BaseTime)).AsTask()));

        Assert.Equal(19, (await audit.ReadAsync(lead)).Count);
        stored.Version++;
        var error = await Assert.ThrowsAsync<InvalidOperationException>(async () => await leads.UpdateAsync(stored, stored.Version - 1));
        Assert.Contains("audit", error.Message, StringComparison.Ordinal);
    }

    [StoreFact]
    public async Task UsePostgreSql_WithDataSourceFromContainer_UsesIt()
    {
        var schema = "t_" + Guid.NewGuid().ToString("N");
        var services = new ServiceCollection();
        services.AddSingleton(NpgsqlDataSource.Create(PostgreSqlTestServer.ConnectionString));
        services.AddAicmoPipeline().UsePostgreSql(o => o.Schema = schema);
        try
        {
            await using var provider = services.BuildServiceProvider();
            var campaigns = provider.GetRequiredService<ICampaignRepository>();

            await campaigns.GetOrAddAsync(new Campaign { Id = "from-di", CreatedAt = ContractTestData.BaseTime });

            Assert.Equal(["from-di"], await QueryAsync<string>($"SELECT id FROM \"{schema}\".campaigns;"));
        }
        finally
        {
            await QueryAsync<int>($"DROP SCHEMA IF EXISTS \"{schema}\" CASCADE;");
        }
    }

    [StoreFact]
    public async Task Pipeline_RunOnPostgreSql_PersistsEveryLeadOutcomeAndAuditTrail()
    {
        var sender = new RecordingEmailSender();
        await using var db = new PostgreSqlTestDatabase(pipeline: b => b.AddLeadSource(new SyntheticLeadSource(2_000)).AddEmailSender(sender));

        var result = await db.Get<ILeadPipeline>().RunAsync(new PipelineRunRequest { CampaignId = "pg-e2e" });

        Assert.True(result.IsBalanced);
        Assert.Equal(2_000, result.Harvested);
        var leads = db.Get<ILeadRepository>();
        Assert.Equal(result.Harvested - result.Duplicates, await leads.CountAsync("pg-e2e"));
        Assert.Equal(result.Contacted, await leads.CountAsync("pg-e2e", LeadStatus.Contacted));
        Assert.Empty(sender.DuplicateKeys);
        Assert.Equal(result.Contacted, (await db.Get<IEmailOutbox>().ListAsync(OutboxStatus.Sent, take: 10_000)).Count);
        Assert.Equal(result.Status, (await db.Get<IRunRepository>().GetAsync(result.RunId))!.Status);

        var audit = db.Get<IAuditLog>();
        foreach (var lead in await leads.QueryAsync(new LeadQuery { CampaignId = "pg-e2e", Take = 200 }))
        {
            var trail = await audit.ReadAsync(lead.Id);
            Assert.Equal(Enumerable.Range(1, (int)lead.Version).Select(i => (long)i), trail.Select(e => e.Sequence));
            Assert.Equal(lead.Status, trail[^1].To);
        }
    }

    [Theory]
    [InlineData("Not A Key=1", null, nameof(PostgreSqlStoreOptions.ConnectionString))]
    [InlineData("Host=localhost", "Bad-Schema", nameof(PostgreSqlStoreOptions.Schema))]
    [InlineData("Host=localhost", "x\"; DROP TABLE y; --", nameof(PostgreSqlStoreOptions.Schema))]
    public void Options_Invalid_FailsNamingOption(string connectionString, string? schema, string option)
    {
        var services = new ServiceCollection();
        services.AddAicmoPipeline().UsePostgreSql(connectionString, o => o.Schema = schema ?? o.Schema);
        using var provider = services.BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<ILeadRepository>());

        Assert.Contains(option, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0, 0, "PostgreSqlStoreOptions.WriteBatchSize must be between 1 and 100000 (was 0).")]
    [InlineData(10, 2000, "PostgreSqlStoreOptions.MaxWriteBatchDelay must be between zero and 1 second (was 00:00:02).")]
    public void Options_WriteBatchingOutOfRange_FailsNamingOption(int batchSize, int delayMs, string expected)
    {
        var services = new ServiceCollection();
        services.AddAicmoPipeline().UsePostgreSql("Host=localhost", o =>
        {
            o.WriteBatchSize = batchSize;
            o.MaxWriteBatchDelay = TimeSpan.FromMilliseconds(delayMs);
        });
        using var provider = services.BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<ILeadRepository>());

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void UsePostgreSql_NoConnectionStringAndNoDataSource_FailsSayingWhatToRegister()
    {
        var services = new ServiceCollection();
        services.AddAicmoPipeline().UsePostgreSql();
        using var provider = services.BuildServiceProvider();

        var error = Assert.Throws<InvalidOperationException>(() => provider.GetRequiredService<ILeadRepository>());

        Assert.Contains("NpgsqlDataSource", error.Message, StringComparison.Ordinal);
    }

    [StoreFact]
    public async Task EraseLeadAsync_OnStoredRun_RemovesPersonalDataFromEveryTable()
    {
        var sender = new RecordingEmailSender();
        await using var db = new PostgreSqlTestDatabase(pipeline: b => b.AddLeadSource(new SyntheticLeadSource(200)).AddEmailSender(sender));
        await db.Get<ILeadPipeline>().RunAsync(new PipelineRunRequest { CampaignId = "erase" });
        var leads = db.Get<ILeadRepository>();
        var lead = (await leads.QueryAsync(new LeadQuery { CampaignId = "erase", Status = LeadStatus.Contacted, Take = 1 }))[0];
        var address = Aicmo.Sdk.Identity.LeadIdentity.NormalizeEmail(lead.Email)!;

        var result = await db.Get<LeadEraser>().EraseLeadAsync(lead.Id, "ticket 7");

        var erased = await leads.GetAsync(lead.Id);
        Assert.Null(erased!.Email);
        Assert.Null(await leads.FindByIdentityAsync("erase", lead.IdentityKey));
        Assert.Equal(1, result.OutboxEntriesRedacted);
        var entry = (await db.Get<IEmailOutbox>().ListAsync(take: 1000)).Single(e => e.Key.LeadId == lead.Id);
        Assert.Equal(LeadEraser.Redacted, entry.To);
        Assert.Equal(SuppressionReason.Erased, (await db.Get<ISuppressionList>().FindAsync(address))?.Reason);
        var trail = await db.Get<IAuditLog>().ReadAsync(lead.Id);
        Assert.DoesNotContain(trail, e => e.Reason.Contains(address, StringComparison.OrdinalIgnoreCase));
        Assert.Equal(LeadEraser.Stage, trail[^1].Stage);
    }

    private static PostgreSqlDatabase NewDatabase(string schema) =>
        new(Options.Create(new PostgreSqlStoreOptions { ConnectionString = PostgreSqlTestServer.ConnectionString, Schema = schema }), new ServiceCollection().BuildServiceProvider());

    private static async Task<List<T>> QueryAsync<T>(string sql)
    {
        await using var dataSource = NpgsqlDataSource.Create(PostgreSqlTestServer.ConnectionString);
        await using var command = dataSource.CreateCommand(sql);
        await using var reader = await command.ExecuteReaderAsync();
        var list = new List<T>();
        while (await reader.ReadAsync())
        {
            list.Add(reader.GetFieldValue<T>(0));
        }

        return list;
    }
}
