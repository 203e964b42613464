using Aicmo.Sdk.Domain;
using Aicmo.Sdk.Storage;
using Aicmo.Sdk.Testing.Contracts;
using Npgsql;

namespace Aicmo.Sdk.PostgreSql.Tests;

/// <summary>
/// The PostgreSQL counters of migration 9: writers insert their net change as rows of their own, reads sum them and fold them
/// into one row per key once they pile up; folding must never lose or double a count, even while writers and other readers run.
/// </summary>
[SkipWithoutPostgreSql]
public sealed class PostgreSqlLeadStatisticsTests : IAsyncLifetime
{
    private readonly PostgreSqlTestDatabase _db = new();

    [Fact]
    public async Task Read_AfterManySingleWrites_FoldsTheirRowsIntoOnePerKeyAndKeepsTheCounts()
    {
        var leads = _db.Get<ILeadRepository>();
        var statistics = _db.Get<ILeadStatistics>();
        var campaign = ContractTestData.NewCampaignId("fold");
        var stored = new List<Lead>();
        for (var i = 0; i < 80; i++)
        {
            var lead = ContractTestData.NewLead(campaign, createdAt: ContractTestData.BaseTime.AddMinutes(i * 7));
            Assert.True(await leads.TryAddAsync(lead));
            stored.Add(lead);
        }

        foreach (var lead in stored.Take(30))
        {
            var next = lead.Clone();
            next.Status = LeadStatus.Routed;
            next.Version++;
            Assert.True(await leads.UpdateAsync(next, lead.Version));
        }

        var rowsBefore = await CountRowsAsync(campaign);
        var first = await ReadAsync(statistics, campaign);
        var rowsAfter = await CountRowsAsync(campaign);
        var second = await ReadAsync(statistics, campaign);

        Assert.Equal(50, first[LeadStatus.New]);
        Assert.Equal(30, first[LeadStatus.Routed]);
        Assert.Equal(80, first.LeadsCreatedSince);
        Assert.True(rowsBefore > 100, $"{rowsBefore} counter rows before the read");
        Assert.True(rowsAfter < rowsBefore / 4, $"{rowsAfter} counter rows after the read, {rowsBefore} before");
        Assert.Equal(first.Counts.OrderBy(c => c.Key), second.Counts.OrderBy(c => c.Key));
        Assert.Equal(first.LeadsCreatedSince, second.LeadsCreatedSince);
    }

    [Fact]
    public async Task Reads_FoldingWhileWritersRun_CountEveryLeadOnce()
    {
        var leads = _db.Get<ILeadRepository>();
        var statistics = _db.Get<ILeadStatistics>();
        var campaign = ContractTestData.NewCampaignId("fold-race");
        using var stop = new CancellationTokenSource();
        var writers = Enumerable.Range(0, 4).Select(w => Task.Run(async () =>
        {
            for (var i = 0; i < 40; i++)
            {
                var lead = ContractTestData.NewLead(campaign);
                Assert.True(await leads.TryAddAsync(lead));
                var next = lead.Clone();
                next.Status = i % 2 == 0 ? LeadStatus.Disqualified : LeadStatus.Qualified;
                next.Version++;
                Assert.True(await leads.UpdateAsync(next, lead.Version));
            }
        })).ToArray();
        var readers = Enumerable.Range(0, 3).Select(_ => Task.Run(async () =>
        {
            var reads = 0;
            while (!stop.IsCancellationRequested || reads == 0)
            {
                await ReadAsync(statistics, campaign);
                reads++;
            }

            return reads;
        })).ToArray();

        await Task.WhenAll(writers);
        await stop.CancelAsync();
        var reads = await Task.WhenAll(readers);

        var result = await ReadAsync(statistics, campaign);
        Assert.All(reads, n => Assert.True(n > 0));
        Assert.Equal(80, result[LeadStatus.Disqualified]);
        Assert.Equal(80, result[LeadStatus.Qualified]);
        Assert.Equal(160, result.Total);
        Assert.Equal(160, result.LeadsCreatedSince);
        Assert.Equal((await leads.CountByStatusAsync(campaign)).OrderBy(c => c.Key), result.Counts.OrderBy(c => c.Key));
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _db.DisposeAsync();

    private static async Task<CampaignLeadStatistics> ReadAsync(ILeadStatistics statistics, string campaign) =>
        await statistics.GetCampaignStatisticsAsync(new LeadStatisticsQuery
        {
            CampaignId = campaign,
            CreatedSince = ContractTestData.BaseTime,
            SentSince = ContractTestData.BaseTime,
        });

    private async Task<long> CountRowsAsync(string campaign)
    {
        await using var dataSource = NpgsqlDataSource.Create(_db.ConnectionString);
        await using var command = dataSource.CreateCommand(
            $"SELECT (SELECT count(*) FROM \"{_db.Schema}\".campaign_counts WHERE campaign_id = $1) + (SELECT count(*) FROM \"{_db.Schema}\".campaign_hourly_counts WHERE campaign_id = $1);");
        command.Parameters.AddWithValue(campaign);
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
