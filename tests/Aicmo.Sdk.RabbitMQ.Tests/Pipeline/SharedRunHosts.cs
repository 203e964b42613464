using Aicmo.Sdk.Domain;
using Aicmo.Sdk.Pipeline;
using Aicmo.Sdk.RabbitMQ.Internal;
using Aicmo.Sdk.RabbitMQ.Tests.Support;
using Aicmo.Sdk.Storage;
using Aicmo.Sdk.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;

namespace Aicmo.Sdk.RabbitMQ.Tests.Pipeline;

/// <summary>
/// Several hosts in this test process that share one PostgreSQL schema, one queue prefix on the test broker and one recording
/// email sender, as processes on several machines share a store and a broker: each is a service provider of its own (its own
/// pipeline, transport, connection and hosted services). One starts runs; the others are workers that join them.
/// </summary>
internal sealed class SharedRunHosts : IAsyncDisposable
{
    private static readonly LeadStatus[] Outcomes =
    [
        LeadStatus.Disqualified, LeadStatus.ManualReview, LeadStatus.Routed, LeadStatus.Contacted,
        LeadStatus.Unsubscribed, LeadStatus.Bounced, LeadStatus.Quarantined,
    ];

    private readonly List<ServiceProvider> _hosts = [];
    private readonly int _leads;
    private readonly Action<IAicmoPipelineBuilder>? _configure;

    public SharedRunHosts(int leads, Action<IAicmoPipelineBuilder>? configure = null)
    {
        var connection = Environment.GetEnvironmentVariable("AICMO_POSTGRES_CONNECTION");
        if (string.IsNullOrWhiteSpace(connection))
        {
            throw new InvalidOperationException("AICMO_POSTGRES_CONNECTION is not set: these tests run the pipeline on PostgreSQL (./build.sh test starts a server).");
        }

        ConnectionString = new NpgsqlConnectionStringBuilder(connection) { MaxPoolSize = 20 }.ConnectionString;
        Schema = "t_" + Guid.NewGuid().ToString("N");
        Prefix = "j" + Guid.NewGuid().ToString("N")[..12];
        _leads = leads;
        _configure = configure;
    }

    public string ConnectionString { get; }

    public string Schema { get; }

    public string Prefix { get; }

    /// <summary>Gets the sender every host sends through: it counts sends per idempotency key across all of them.</summary>
    public RecordingEmailSender Sender { get; } = new() { RetainMessages = false };

    /// <summary>
    /// Builds a host and starts its hosted services (as the generic host would). <paramref name="stages"/> are the stages it
    /// consumes (all when empty); a worker joins runs from the start.
    /// </summary>
    public async Task<ServiceProvider> StartHostAsync(bool worker, params string[] stages)
    {
        var services = new ServiceCollection();
        var builder = services.AddAicmoPipeline(o =>
            {
                o.DryRun = false;
                o.BatchSize = 50;
                o.ProgressInterval = TimeSpan.FromMilliseconds(100);
            })
            .AddLeadSource(new SyntheticLeadSource(_leads, 11))
            .AddEmailSender(Sender)
            .UsePostgreSql(ConnectionString, o => o.Schema = Schema)
            .UseRabbitMQ(RabbitMqTestBroker.Uri, o =>
            {
                o.QueuePrefix = Prefix;
                o.JoinRuns = worker;
                foreach (var stage in stages)
                {
                    o.Stages.Add(stage);
                }
            });
        _configure?.Invoke(builder);
        var host = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });
        lock (_hosts)
        {
            _hosts.Add(host);
        }

        foreach (var hosted in host.GetServices<IHostedService>())
        {
            await hosted.StartAsync(CancellationToken.None);
        }

        return host;
    }

    /// <summary>Stops a host's hosted services and disposes it: its consumers stop, and what it held goes back to the broker.</summary>
    public async Task StopHostAsync(ServiceProvider host)
    {
        foreach (var hosted in host.GetServices<IHostedService>().Reverse())
        {
            await hosted.StopAsync(CancellationToken.None);
        }

        lock (_hosts)
        {
            _hosts.Remove(host);
        }

        await host.DisposeAsync();
    }

    /// <summary>
    /// Checks what the store holds after a run: every lead in exactly one outcome, no idempotency key sent twice, one send per
    /// contacted lead, audit trails holding every version once, and a run that balances.
    /// </summary>
    public async Task VerifyAsync(IServiceProvider host, string campaign, PipelineRunResult result)
    {
        Assert.True(result.IsBalanced, $"the run does not balance: {result}");
        var stored = await VerifyFinishedAsync(host, campaign, result.Harvested - result.Duplicates - result.Rejected);
        Assert.Equal(stored.Count(l => l.Status == LeadStatus.Contacted), result.Contacted);
        Assert.Equal(stored.Count(l => l.Status == LeadStatus.Quarantined), result.Quarantined);
    }

    /// <summary>
    /// Checks that a campaign holds <paramref name="expected"/> leads, each in exactly one outcome, with no idempotency key sent
    /// twice, one send per contacted lead, and audit trails holding every version once; returns the leads.
    /// </summary>
    public async Task<List<Lead>> VerifyFinishedAsync(IServiceProvider host, string campaign, long expected)
    {
        var leads = host.GetRequiredService<ILeadRepository>();
        var stored = new List<Lead>();
        for (var skip = 0; ; skip += 1000)
        {
            var page = await leads.QueryAsync(new LeadQuery { CampaignId = campaign, Skip = skip, Take = 1000 });
            stored.AddRange(page);
            if (page.Count < 1000)
            {
                break;
            }
        }

        Assert.Equal(expected, stored.Count);
        var unfinished = stored.Where(l => !Outcomes.Contains(l.Status) || (l.Status == LeadStatus.Routed && l.Nurture is null)).ToList();
        Assert.True(unfinished.Count == 0, $"{unfinished.Count} leads did not finish: {string.Join(", ", unfinished.Take(5).Select(l => l.Status))}");
        Assert.Empty(Sender.DuplicateKeys);
        Assert.Equal(stored.Count(l => l.Status == LeadStatus.Contacted), Sender.SendsPerKey.Count);

        var audit = host.GetRequiredService<IAuditLog>();
        foreach (var lead in stored)
        {
            var trail = await audit.ReadAsync(lead.Id);
            Assert.Equal(Enumerable.Range(1, (int)lead.Version).Select(i => (long)i), trail.Select(e => e.Sequence));
            Assert.Equal(lead.Status, trail[^1].To);
        }

        return stored;
    }

    public async ValueTask DisposeAsync()
    {
        List<ServiceProvider> hosts;
        lock (_hosts)
        {
            hosts = [.. _hosts];
        }

        RabbitMqConnectionProvider? connections = null;
        foreach (var host in hosts)
        {
            connections ??= host.GetRequiredService<RabbitMqConnectionProvider>();
            await StopHostAsync(host);
        }

        if (connections is not null)
        {
            await RabbitMqTestBroker.DeleteTopologyAsync(connections, ["enrich", "score", "qualify", "route", "nurture", "pause", "poison"]);
        }

        await using var dataSource = NpgsqlDataSource.Create(ConnectionString);
        await using var command = dataSource.CreateCommand($"DROP SCHEMA IF EXISTS \"{Schema}\" CASCADE;");
        await command.ExecuteNonQueryAsync();
    }
}
