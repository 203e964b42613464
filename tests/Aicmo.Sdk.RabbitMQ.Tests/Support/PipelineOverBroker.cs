using System.Diagnostics.Metrics;
using Aicmo.Sdk.Domain;
using Aicmo.Sdk.Pipeline;
using Aicmo.Sdk.Storage;
using Aicmo.Sdk.Testing;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Aicmo.Sdk.RabbitMQ.Tests.Support;

/// <summary>
/// A pipeline on a PostgreSQL schema of its own (from <c>AICMO_POSTGRES_CONNECTION</c>) whose batches move through the test
/// broker under a queue prefix of its own; counts the batches the transport published per stage. Drops the schema on dispose.
/// </summary>
internal sealed class PipelineOverBroker : IAsyncDisposable
{
    private static readonly LeadStatus[] Outcomes =
    [
        LeadStatus.Disqualified, LeadStatus.ManualReview, LeadStatus.Routed, LeadStatus.Contacted,
        LeadStatus.Unsubscribed, LeadStatus.Bounced, LeadStatus.Quarantined,
    ];

    private readonly ServiceProvider _services;
    private readonly MeterListener _listener = new();
    private readonly Dictionary<string, long> _published = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    public PipelineOverBroker(int leads, Action<IAicmoPipelineBuilder>? configure = null)
    {
        var connection = Environment.GetEnvironmentVariable("AICMO_POSTGRES_CONNECTION");
        if (string.IsNullOrWhiteSpace(connection))
        {
            throw new InvalidOperationException("AICMO_POSTGRES_CONNECTION is not set: these tests run the pipeline on PostgreSQL (./build.sh test starts a server).");
        }

        ConnectionString = new NpgsqlConnectionStringBuilder(connection) { MaxPoolSize = 30 }.ConnectionString;
        Schema = "t_" + Guid.NewGuid().ToString("N");
        Prefix = "p" + Guid.NewGuid().ToString("N")[..12];
        var services = new ServiceCollection();
        var builder = services.AddAicmoPipeline(o => o.DryRun = false)
            .AddLeadSource(new SyntheticLeadSource(leads, 11))
            .AddEmailSender(Sender)
            .UsePostgreSql(ConnectionString, o => o.Schema = Schema)
            .UseRabbitMQ(RabbitMqTestBroker.Uri, o => o.QueuePrefix = Prefix);
        configure?.Invoke(builder);
        _services = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });

        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == "Aicmo.Pipeline" && instrument.Name == "aicmo.transport.published")
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            foreach (var tag in tags)
            {
                if (tag.Key == "stage" && tag.Value is string stage)
                {
                    lock (_gate)
                    {
                        _published[stage] = _published.GetValueOrDefault(stage) + value;
                    }
                }
            }
        });
        _listener.Start();
    }

    public string ConnectionString { get; }

    public string Schema { get; }

    public string Prefix { get; }

    public RecordingEmailSender Sender { get; } = new() { RetainMessages = false };

    public ILeadPipeline Pipeline => _services.GetRequiredService<ILeadPipeline>();

    public IServiceProvider Services => _services;

    /// <summary>Gets the batches published to each stage's queue so far (this process).</summary>
    public IReadOnlyDictionary<string, long> Published
    {
        get
        {
            lock (_gate)
            {
                return new Dictionary<string, long>(_published, StringComparer.Ordinal);
            }
        }
    }

    /// <summary>Reads every lead of a campaign from the store.</summary>
    public async Task<List<Lead>> LeadsAsync(string campaign)
    {
        var leads = _services.GetRequiredService<ILeadRepository>();
        var stored = new List<Lead>();
        for (var skip = 0; ; skip += 1000)
        {
            var page = await leads.QueryAsync(new LeadQuery { CampaignId = campaign, Skip = skip, Take = 1000 });
            stored.AddRange(page);
            if (page.Count < 1000)
            {
                return stored;
            }
        }
    }

    /// <summary>
    /// Checks what the store holds after a run: every lead in exactly one outcome, no idempotency key sent twice, one send per
    /// contacted lead, and audit trails holding every version from 1 to the stored one once, ending in the stored state.
    /// </summary>
    public async Task VerifyAsync(string campaign, PipelineRunResult result)
    {
        Assert.True(result.IsBalanced, $"the run does not balance: {result}");
        var stored = await LeadsAsync(campaign);
        Assert.Equal(result.Harvested - result.Duplicates - result.Rejected, stored.Count);
        var unfinished = stored.Where(l => !Outcomes.Contains(l.Status) || (l.Status == LeadStatus.Routed && l.Nurture is null)).ToList();
        Assert.True(unfinished.Count == 0, $"{unfinished.Count} leads did not finish: {string.Join(", ", unfinished.Take(5).Select(l => l.Status))}");
        Assert.Empty(Sender.DuplicateKeys);
        Assert.Equal(stored.Count(l => l.Status == LeadStatus.Contacted), Sender.SendsPerKey.Count);

        var audit = _services.GetRequiredService<IAuditLog>();
        foreach (var lead in stored)
        {
            var trail = await audit.ReadAsync(lead.Id);
            Assert.Equal(Enumerable.Range(1, (int)lead.Version).Select(i => (long)i), trail.Select(e => e.Sequence));
            Assert.Equal(lead.Status, trail[^1].To);
        }
    }

    public async ValueTask DisposeAsync()
    {
        _listener.Dispose();
        var connections = _services.GetRequiredService<Internal.RabbitMqConnectionProvider>();
        await _services.DisposeAsync();
        await RabbitMqTestBroker.DeleteTopologyAsync(connections, ["enrich", "score", "qualify", "route", "nurture", "flaky"]);
        await using var dataSource = NpgsqlDataSource.Create(ConnectionString);
        await using var command = dataSource.CreateCommand($"DROP SCHEMA IF EXISTS \"{Schema}\" CASCADE;");
        await command.ExecuteNonQueryAsync();
    }
}
