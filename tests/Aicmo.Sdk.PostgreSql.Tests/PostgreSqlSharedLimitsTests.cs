using System.Collections.Concurrent;
using Aicmo.Sdk.Domain;
using Aicmo.Sdk.Nurture;
using Aicmo.Sdk.Routing;
using Aicmo.Sdk.Stages;
using Aicmo.Sdk.Storage;
using Aicmo.Sdk.Testing;
using Aicmo.Sdk.Testing.Contracts;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Npgsql;

namespace Aicmo.Sdk.PostgreSql.Tests;

/// <summary>
/// Three hosts (each its own service provider, stores and connection pool, as three processes would have) on one PostgreSQL
/// schema route and send at the same time: together they respect each owner's capacity and each mailbox and domain throttle.
/// </summary>
[SkipWithoutPostgreSql]
public sealed class PostgreSqlSharedLimitsTests : IAsyncLifetime
{
    private const int Hosts = 3;
    private static readonly DateTimeOffset Monday = new(2025, 1, 6, 10, 0, 0, TimeSpan.Zero);
    private readonly string _schema = "t_" + Guid.NewGuid().ToString("N");
    private readonly List<ServiceProvider> _hosts = [];
    private readonly List<RecordingEmailSender> _senders = [];

    public Task InitializeAsync()
    {
        for (var i = 0; i < Hosts; i++)
        {
            var sender = new RecordingEmailSender();
            var services = new ServiceCollection();
            services.AddSingleton<IEmailSender>(sender);
            services.AddAicmoPipeline(o =>
                {
                    o.DryRun = false;
                    var team = new RoutingTeam { Strategy = AssignmentStrategy.RoundRobin };
                    team.Owners.Add(new RoutingOwner { Name = "alice", DailyCapacity = 5 });
                    team.Owners.Add(new RoutingOwner { Name = "bob", DailyCapacity = 7 });
                    o.Routing.Teams["sales"] = team;
                    o.Routing.DefaultTeam = "sales";
                    o.Nurture.MaxPerMailboxPerHour = 10;
                    o.Nurture.MaxPerRecipientDomainPerHour = 6;
                })
                .UsePostgreSql(PostgreSqlTestServer.ConnectionString, o => o.Schema = _schema);
            _hosts.Add(services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true }));
            _senders.Add(sender);
        }

        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        foreach (var host in _hosts)
        {
            await host.DisposeAsync();
        }

        if (PostgreSqlTestServer.IsConfigured)
        {
            await using var dataSource = NpgsqlDataSource.Create(PostgreSqlTestServer.ConnectionString);
            await using var command = dataSource.CreateCommand($"DROP SCHEMA IF EXISTS \"{_schema}\" CASCADE;");
            await command.ExecuteNonQueryAsync();
        }
    }

    [StoreFact]
    public async Task ThreeHostsRouteAtOnce_EachOwnerGetsItsDailyCapacityAndNoMore()
    {
        var time = new FakeTimeProvider(Monday);
        var assigned = new ConcurrentDictionary<string, int>();

        // 3 hosts × 4 workers × 10 leads = 120 leads for 12 places.
        await Task.WhenAll(_hosts.SelectMany(host => Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
        {
            var router = host.GetRequiredService<ILeadRouter>();
            for (var i = 0; i < 10; i++)
            {
                var lead = ContractTestData.NewLead("shared-routing");
                lead.Score = new LeadScore(0.5, "B", []);
                var decision = await router.RouteAsync(lead, new StageContext(Guid.NewGuid(), lead.CampaignId, StageNames.Route, time, dryRun: false), CancellationToken.None);
                assigned.AddOrUpdate(decision.Owner ?? "(nobody)", 1, static (_, n) => n + 1);
            }
        }))));

        Assert.Equal(5, assigned["alice"]);
        Assert.Equal(7, assigned["bob"]);
        Assert.Equal(108, assigned["(nobody)"]);
        var counters = _hosts[0].GetRequiredService<ILimitCounters>();
        Assert.IsNotType<InMemoryLimitCounters>(counters);
        Assert.Equal(5, await counters.CountAsync("routing/sales/alice", TimeSpan.FromHours(24), time.GetUtcNow()));
        Assert.Equal(7, await counters.CountAsync("routing/sales/bob", TimeSpan.FromHours(24), time.GetUtcNow()));
    }

    [StoreFact]
    public async Task ThreeHostsSendAtOnce_SendsPerMailboxAndPerDomainInTheHourNeverExceedTheThrottle_CountedAtTheSenders()
    {
        var time = new FakeTimeProvider(Monday);
        string[] domains = ["north.example", "south.example"];
        var outcomes = new ConcurrentBag<NurtureState>();

        // 3 hosts × 4 workers × 5 leads = 60 first steps due at once, on one mailbox and two recipient domains.
        await Task.WhenAll(_hosts.SelectMany((host, h) => Enumerable.Range(0, 4).Select(w => Task.Run(async () =>
        {
            var nurturer = host.GetRequiredService<ILeadNurturer>();
            for (var i = 0; i < 5; i++)
            {
                var lead = ContractTestData.NewLead("shared-sends");
                lead.Status = LeadStatus.Routed;
                lead.TimeZone = "UTC";
                lead.Email = $"p{h}-{w}-{i}@{domains[i % 2]}";
                lead.Routing = new RoutingDecision("sales", "alice", "intro", "default", "test");
                outcomes.Add(await nurturer.NurtureAsync(lead, new StageContext(Guid.NewGuid(), lead.CampaignId, StageNames.Nurture, time, dryRun: false), CancellationToken.None));
            }
        }))));

        var sent = _senders.SelectMany(s => s.Sent).ToList();
        Assert.Equal(10, sent.Count);
        Assert.All(sent, m => Assert.Equal("outreach@example.com", m.FromAddress));
        Assert.All(domains, d => Assert.InRange(sent.Count(m => m.To.EndsWith("@" + d, StringComparison.Ordinal)), 0, 6));
        Assert.Equal(10, outcomes.Count(o => o.Outcome == NurtureOutcome.Sent));
        Assert.Equal(50, outcomes.Count(o => o.Outcome == NurtureOutcome.Scheduled && o.Reason!.StartsWith("throttled:", StringComparison.Ordinal)));

        // An hour later the window has room again, for every host.
        time.Advance(TimeSpan.FromHours(1));
        var late = ContractTestData.NewLead("shared-sends");
        late.Status = LeadStatus.Routed;
        late.TimeZone = "UTC";
        late.Routing = new RoutingDecision("sales", "alice", "intro", "default", "test");
        var state = await _hosts[2].GetRequiredService<ILeadNurturer>().NurtureAsync(late, new StageContext(Guid.NewGuid(), late.CampaignId, StageNames.Nurture, time, dryRun: false), CancellationToken.None);
        Assert.Equal(NurtureOutcome.Sent, state.Outcome);
    }
}
