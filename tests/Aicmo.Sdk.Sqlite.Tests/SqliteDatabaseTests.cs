using Aicmo.Sdk.Domain;
using Aicmo.Sdk.Pipeline;
using Aicmo.Sdk.Storage;
using Aicmo.Sdk.Testing;
using Aicmo.Sdk.Testing.Contracts;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Aicmo.Sdk.Sqlite.Tests;

public sealed class SqliteDatabaseTests
{
    [Fact]
    public async Task NativeLibrary_IsTheBundledSqlite353OrNewer()
    {
        // The package ships SQLite through SQLitePCLRaw.bundle_e_sqlite3 2.1.13 (SQLite 3.53.3); 2.0.6 brought 3.35.5 from 2021.
        await using var owner = new SqliteTestDatabase();
        await using var database = NewDatabase(owner.ConnectionString);
        await database.EnsureInitializedAsync(CancellationToken.None);

        var version = Version.Parse((string)(await ScalarAsync(owner.ConnectionString, "SELECT sqlite_version();"))!);

        Assert.True(version >= new Version(3, 53), $"SQLite {version} is loaded; the bundle ships 3.53 or newer.");
    }

    [Fact]
    public async Task EnsureInitialized_ManyInstancesOnOneFileAtOnce_MigrateOnceAndAllWork()
    {
        await using var owner = new SqliteTestDatabase();
        var databases = Enumerable.Range(0, 8).Select(_ => NewDatabase(owner.ConnectionString)).ToList();
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

            Assert.Equal(SqliteSchema.Migrations.Select(m => (long)m.Version).Order(), await ReadVersionsAsync(owner.ConnectionString));
            Assert.Equal("wal", await ScalarAsync(owner.ConnectionString, "PRAGMA journal_mode;"));
        }
        finally
        {
            foreach (var d in databases)
            {
                await d.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task EnsureInitialized_Reopened_IsIdempotentAndKeepsData()
    {
        await using var owner = new SqliteTestDatabase();
        var lead = ContractTestData.NewLead(ContractTestData.NewCampaignId());
        Assert.True(await owner.Get<ILeadRepository>().TryAddAsync(lead));

        await using var reopened = NewDatabase(owner.ConnectionString);
        var leads = new SqliteLeadRepository(reopened);

        ContractAssert.LeadEqual(lead, await leads.GetAsync(lead.Id));
        Assert.Equal(SqliteSchema.Migrations.Select(m => (long)m.Version).Order(), await ReadVersionsAsync(owner.ConnectionString));
    }

    [Fact]
    public async Task EnsureInitialized_SchemaNewerThanPackage_FailsNamingVersions()
    {
        await using var owner = new SqliteTestDatabase();
        await owner.Get<SqliteDatabase>().EnsureInitializedAsync(CancellationToken.None);
        await ScalarAsync(owner.ConnectionString, "INSERT INTO aicmo_schema_version (version, description, applied_at) VALUES (999, 'future', 'now');");

        await using var database = NewDatabase(owner.ConnectionString);
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => database.EnsureInitializedAsync(CancellationToken.None).AsTask());

        Assert.Contains("999", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TryAddAsync_TwoDatabaseInstancesOnOneFile_ExactlyOneAddsEachIdentity()
    {
        // Two instances have two writers and two connection sets: what two processes sharing the file would do.
        await using var owner = new SqliteTestDatabase();
        await using var other = NewDatabase(owner.ConnectionString);
        ILeadRepository[] stores = [owner.Get<ILeadRepository>(), new SqliteLeadRepository(other)];
        var campaign = ContractTestData.NewCampaignId();

        var results = await Task.WhenAll(Enumerable.Range(0, 200).Select(i => Task.Run(async () =>
            await stores[i % 2].TryAddAsync(ContractTestData.NewLead(campaign, $"e:p{i % 20}@example.com")))));

        Assert.Equal(20, results.Count(r => r));
        Assert.Equal(20, await stores[1].CountAsync(campaign));
    }

    [Fact]
    public async Task WriteAsync_ManyConcurrentWriters_CommitsInBatches()
    {
        await using var owner = new SqliteTestDatabase(o => o.MaxWriteBatchDelay = TimeSpan.FromMilliseconds(20));
        var audit = owner.Get<IAuditLog>();
        var database = owner.Get<SqliteDatabase>();
        await database.EnsureInitializedAsync(CancellationToken.None);
        var lead = Guid.NewGuid();

        await Task.WhenAll(Enumerable.Range(1, 500).Select(i => Task.Run(async () =>
            await audit.AppendAsync(new AuditEvent(lead, "c", Guid.Empty, i, "score", null, LeadStatus.New, "r", ContractTestData.BaseTime)))));

        Assert.Equal(500, (await audit.ReadAsync(lead)).Count);
        Assert.Equal(500, database.CommittedWrites);
        Assert.True(database.CommittedBatches < 100, $"500 writes took {database.CommittedBatches} transactions");
    }

    [Fact]
    public async Task AppendAsync_EventThatCannotBeStored_OthersStoredAndTheLeadsNextUpdateFails()
    {
        await using var owner = new SqliteTestDatabase();
        var audit = owner.Get<IAuditLog>();
        var leads = owner.Get<ILeadRepository>();
        var lead = ContractTestData.NewLead(ContractTestData.NewCampaignId());
        Assert.True(await leads.TryAddAsync(lead));

        // A null stage breaks a NOT NULL constraint: that one event fails, the others are stored. Appends are not waited for,
        // so the loss surfaces where it matters: the lead's next state is refused, leaving no gap in its stored trail.
        for (var i = 1; i <= 5; i++)
        {
            await audit.AppendAsync(new AuditEvent(lead.Id, lead.CampaignId, Guid.Empty, i, i == 3 ? null! : "score", null, LeadStatus.New, "r", ContractTestData.BaseTime));
        }

        Assert.Equal(4, (await audit.ReadAsync(lead.Id)).Count);
        lead.Version++;
        var error = await Assert.ThrowsAsync<InvalidOperationException>(async () => await leads.UpdateAsync(lead, lead.Version - 1));
        Assert.Contains("audit", error.Message, StringComparison.Ordinal);
        Assert.Equal(1, (await leads.GetAsync(lead.Id))!.Version);
    }

    [Fact]
    public async Task WriteAsync_OneFailingWriteInBatch_OthersStillCommit()
    {
        await using var owner = new SqliteTestDatabase(o => o.MaxWriteBatchDelay = TimeSpan.FromMilliseconds(20));
        var leads = owner.Get<ILeadRepository>();
        var campaign = ContractTestData.NewCampaignId();
        var taken = ContractTestData.NewLead(campaign);
        Assert.True(await leads.TryAddAsync(taken));
        var clash = ContractTestData.NewLead(campaign, "e:clash@example.com");
        clash.Id = taken.Id;
        var good = Enumerable.Range(0, 20).Select(_ => ContractTestData.NewLead(campaign)).ToList();

        var clashTask = leads.TryAddAsync(clash).AsTask();
        var goodTasks = good.Select(l => leads.TryAddAsync(l).AsTask()).ToList();

        await Assert.ThrowsAsync<InvalidOperationException>(() => clashTask);
        Assert.All(await Task.WhenAll(goodTasks), Assert.True);
        Assert.Equal(21, await leads.CountAsync(campaign));
    }

    [Theory]
    [InlineData("Data Source=:memory:", "ConnectionString")]
    [InlineData("Data Source=x.db;Mode=Memory", "ConnectionString")]
    [InlineData("Data Source=x.db;Mode=ReadOnly", "read-only")]
    [InlineData("Bogus Key=1", "not a valid")]
    public void Options_InvalidConnectionString_FailsNamingOption(string connectionString, string expected)
    {
        var services = new ServiceCollection();
        services.AddAicmoPipeline().UseSqlite(connectionString);
        using var provider = services.BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<ILeadRepository>());

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(99)]
    [InlineData(1_000_001)]
    public void Options_CheckpointIntervalOutOfRange_FailsNamingOption(int pages)
    {
        var services = new ServiceCollection();
        services.AddAicmoPipeline().UseSqlite("Data Source=x.db", o => o.WalAutoCheckpointPages = pages);
        using var provider = services.BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IAuditLog>());

        Assert.Contains(nameof(SqliteStoreOptions.WalAutoCheckpointPages), error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null, 10_000)]
    [InlineData(2_500, 2_500)]
    public async Task Writer_Connection_CheckpointsAtTheConfiguredLogSize(int? configured, long expected)
    {
        await using var db = new SqliteTestDatabase(o =>
        {
            if (configured is { } pages)
            {
                o.WalAutoCheckpointPages = pages;
            }
        });
        var database = db.Get<SqliteDatabase>();
        await database.EnsureInitializedAsync(CancellationToken.None);

        using var connection = database.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA wal_autocheckpoint;";

        Assert.Equal(expected, (long)command.ExecuteScalar()!);
    }

    [Theory]
    [InlineData(0, 0, 30, nameof(SqliteStoreOptions.WriteBatchSize))]
    [InlineData(10, 2000, 30, nameof(SqliteStoreOptions.MaxWriteBatchDelay))]
    [InlineData(10, 0, 0, nameof(SqliteStoreOptions.BusyTimeout))]
    public void Options_OutOfRange_FailsNamingOption(int batchSize, int delayMs, int busySeconds, string option)
    {
        var services = new ServiceCollection();
        services.AddAicmoPipeline().UseSqlite("Data Source=x.db", o =>
        {
            o.WriteBatchSize = batchSize;
            o.MaxWriteBatchDelay = TimeSpan.FromMilliseconds(delayMs);
            o.BusyTimeout = TimeSpan.FromSeconds(busySeconds);
        });
        using var provider = services.BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IAuditLog>());

        Assert.Contains(option, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Pipeline_RunOnSqlite_PersistsEveryLeadOutcomeAndAuditTrail()
    {
        var sender = new RecordingEmailSender();
        await using var db = new SqliteTestDatabase(pipeline: b => b.AddLeadSource(new SyntheticLeadSource(2_000)).AddEmailSender(sender));
        var pipeline = db.Get<ILeadPipeline>();

        var result = await pipeline.RunAsync(new PipelineRunRequest { CampaignId = "sqlite-e2e" });

        Assert.True(result.IsBalanced);
        Assert.Equal(2_000, result.Harvested);
        var leads = db.Get<ILeadRepository>();
        Assert.Equal(result.Harvested - result.Duplicates, await leads.CountAsync("sqlite-e2e"));
        Assert.Equal(result.Contacted, await leads.CountAsync("sqlite-e2e", LeadStatus.Contacted));
        Assert.Equal(result.Quarantined, await leads.CountAsync("sqlite-e2e", LeadStatus.Quarantined));
        Assert.Empty(sender.DuplicateKeys);
        Assert.Equal(result.Contacted, (await db.Get<IEmailOutbox>().ListAsync(OutboxStatus.Sent, take: 10_000)).Count);

        var run = await db.Get<IRunRepository>().GetAsync(result.RunId);
        Assert.Equal(result.Status, run!.Status);
        Assert.Equal(result.Harvested, run.Harvested);

        // Every stored lead's trail starts at version 1 and has no gap up to its stored version.
        var audit = db.Get<IAuditLog>();
        foreach (var lead in await leads.QueryAsync(new LeadQuery { CampaignId = "sqlite-e2e", Take = 200 }))
        {
            var trail = await audit.ReadAsync(lead.Id);
            Assert.Equal(Enumerable.Range(1, (int)lead.Version).Select(i => (long)i), trail.Select(e => e.Sequence));
            Assert.Equal(lead.Status, trail[^1].To);
        }
    }

    [Fact]
    public async Task EraseLeadAsync_OnStoredRun_RemovesPersonalDataFromEveryTable()
    {
        var sender = new RecordingEmailSender();
        await using var db = new SqliteTestDatabase(pipeline: b => b.AddLeadSource(new SyntheticLeadSource(200)).AddEmailSender(sender));
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

    private static SqliteDatabase NewDatabase(string connectionString) =>
        new(Options.Create(new SqliteStoreOptions { ConnectionString = connectionString }));

    private static async Task<List<long>> ReadVersionsAsync(string connectionString)
    {
        await using var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT version FROM aicmo_schema_version ORDER BY version;";
        await using var reader = await command.ExecuteReaderAsync();
        var versions = new List<long>();
        while (await reader.ReadAsync())
        {
            versions.Add(reader.GetInt64(0));
        }

        return versions;
    }

    private static async Task<object?> ScalarAsync(string connectionString, string sql)
    {
        await using var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return await command.ExecuteScalarAsync();
    }
}
