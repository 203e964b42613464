using System.Collections.Concurrent;
using Aicmo.Sdk.Hosting;
using Aicmo.Sdk.Scheduling;
using Aicmo.Sdk.Storage;
using Aicmo.Sdk.Testing.Contracts;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;

namespace Aicmo.Sdk.PostgreSql.Tests;

/// <summary>
/// Two schedulers with their own connections and host ids share one PostgreSQL schema and the same seconds-cron schedule, as
/// two hosts would (in one process: the SIGKILL takeover across processes is not covered here).
/// </summary>
[SkipWithoutPostgreSql]
public sealed class PostgreSqlSchedulerTwoHostTests
{
    private static readonly ConcurrentDictionary<DateTimeOffset, int> Runs = new();

    [StoreFact]
    public async Task TwoHosts_SameSchedule_RunEachOccurrenceExactlyOnce()
    {
        var schema = "t_" + Guid.NewGuid().ToString("N");
        var hosts = new[] { Build(schema, "host-a"), Build(schema, "host-b") };
        try
        {
            var services = hosts.SelectMany(h => h.GetServices<IHostedService>()).ToList();
            await Task.WhenAll(services.Select(s => s.StartAsync(CancellationToken.None)));
            var store = hosts[0].GetRequiredService<IJobStore>();
            var deadline = DateTime.UtcNow.AddSeconds(90);
            while ((await store.QueryResultsAsync(new JobResultQuery { CampaignId = "c", Take = 1000 })).Count < 22 && DateTime.UtcNow < deadline)
            {
                await Task.Delay(250);
            }

            await Task.WhenAll(services.Select(s => s.StopAsync(CancellationToken.None)));

            var results = await store.QueryResultsAsync(new JobResultQuery { CampaignId = "c", Take = 1000 });
            Assert.True(results.Count >= 22, $"only {results.Count} results");
            Assert.Equal(results.Count, results.Select(r => r.ScheduledAt).Distinct().Count());
            Assert.All(results, r => Assert.Equal(JobStatus.Completed, r.Status));
            Assert.All(results, r => Assert.Equal(1, Runs.GetValueOrDefault(r.ScheduledAt)));
            Assert.Equal(results.Count, Runs.Count);
            Assert.All(results, r => Assert.Contains(r.Host, new[] { "host-a", "host-b" }));
        }
        finally
        {
            foreach (var host in hosts)
            {
                await host.DisposeAsync();
            }

            await using var dataSource = NpgsqlDataSource.Create(PostgreSqlTestServer.ConnectionString);
            await using var command = dataSource.CreateCommand($"DROP SCHEMA IF EXISTS \"{schema}\" CASCADE;");
            await command.ExecuteNonQueryAsync();
        }
    }

    private static ServiceProvider Build(string schema, string hostId)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddAicmoPipeline()
            .UsePostgreSql(PostgreSqlTestServer.ConnectionString, o => o.Schema = schema)
            .AddScheduler(o =>
            {
                o.HostId = hostId;
                o.NurturePass = false;
                o.PollInterval = TimeSpan.FromMilliseconds(50);
                o.Schedules.Add(new JobSchedule { Id = "every-second", CampaignId = "c", JobKind = CountingJob.KindName, Cron = "* * * * * *", MisfireThreshold = TimeSpan.FromSeconds(30) });
            })
            .AddScheduledJob<CountingJob>();
        return services.BuildServiceProvider();
    }

    private sealed class CountingJob : IScheduledJob
    {
        public const string KindName = "count";

        public string Kind => KindName;

        public async Task<JobOutcome> ExecuteAsync(ScheduledJobContext context, CancellationToken cancellationToken)
        {
            Runs.AddOrUpdate(context.ScheduledAt, 1, static (_, n) => n + 1);
            await Task.Delay(100, cancellationToken);
            return new JobOutcome();
        }
    }
}
