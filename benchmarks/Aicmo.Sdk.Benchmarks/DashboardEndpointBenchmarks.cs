using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using Aicmo.Sdk.AspNetCore.Security;
using Aicmo.Sdk.Benchmarks.Infrastructure;
using Aicmo.Sdk.Domain;
using Aicmo.Sdk.Pipeline;
using Aicmo.Sdk.Storage;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Aicmo.Sdk.Benchmarks;

/// <summary>
/// The dashboard endpoints under concurrent load, on SQLite and PostgreSQL with a campaign of <see cref="Leads"/> leads: a real Kestrel host on
/// loopback, an API key, <see cref="Concurrency"/> clients each sending <see cref="RequestsPerClient"/> requests one after another.
/// The baseline is <c>/health/live</c> through the same host, key check and rate limiter. Requests/s is
/// <c>Concurrency × RequestsPerClient / Mean</c>; every request's latency is recorded and p50/p99 are written to
/// <c>artifacts/benchmarks/DashboardEndpointBenchmarks-latency.md</c> when the process ends.
/// </summary>
/// <remarks>
/// The database is seeded once per lead count (SQLite: a file in the temp folder; PostgreSQL: a schema on the server
/// AICMO_POSTGRES_CONNECTION names; both reused by later processes) in one bulk transaction: the leads spread over the states as a
/// real campaign's are, one audit event per disqualified lead, one outbox entry per contacted lead (half sent today), and a run
/// record. AICMO_BENCH_STORES selects the stores (for example <c>Sqlite</c>).
/// </remarks>
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 2, iterationCount: 5)]
[MemoryDiagnoser]
[SmokeLeads(5_000)]
public class DashboardEndpointBenchmarks
{
    public const int Concurrency = 8;
    public const int RequestsPerClient = 4;
    private const string Key = "benchmark-read-key-0123456789";
    private const string CampaignId = "bench-campaign";
    private static readonly LeadStatus[] Mix =
    [
        LeadStatus.Contacted, LeadStatus.Contacted, LeadStatus.Routed, LeadStatus.Disqualified, LeadStatus.Disqualified,
        LeadStatus.Disqualified, LeadStatus.ManualReview, LeadStatus.Qualified, LeadStatus.Scored, LeadStatus.Quarantined,
    ];

    private static readonly string[] Reasons = ["company too small", "country not served", "score below 40", "title not a buyer"];
    private readonly List<(string Endpoint, double Ms)> _latencies = [];
    private WebApplication? _app;
    private HttpClient? _client;

    [Params(1_000_000)]
    public int Leads { get; set; } = 1_000_000;

    [ParamsSource(nameof(Stores))]
    public StoreKind Store { get; set; } = StoreKind.Sqlite;

    public static IEnumerable<StoreKind> Stores() => PipelineStores.Available().Where(s => s is StoreKind.Sqlite or StoreKind.PostgreSql);

    [GlobalSetup]
    public async Task GlobalSetup()
    {
        var file = Path.Combine(Path.GetTempPath(), string.Create(CultureInfo.InvariantCulture, $"aicmo-dashboard-bench-{Leads}-v1.db"));
        var connection = Store == StoreKind.PostgreSql
            ? Environment.GetEnvironmentVariable(PipelineStores.PostgresVariable)!
            : "Data Source=" + file;
        var schema = string.Create(CultureInfo.InvariantCulture, $"aicmo_dashboard_bench_{Leads}");
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        var pipeline = builder.Services.AddAicmoPipeline();
        _ = Store == StoreKind.PostgreSql ? pipeline.UsePostgreSql(connection, o => o.Schema = schema) : pipeline.UseSqlite(connection);
        pipeline.AddAicmoApi(o =>
        {
            o.ApiKeys.Add(AicmoApiKey.FromPlainKey("bench", Key, AicmoApiScopes.Read));
            o.RateLimitPermits = int.MaxValue;
        });
        _app = builder.Build();
        _app.MapAicmoApi("/api/v1");
        await _app.StartAsync();
        await SeedOnceAsync(_app.Services, connection, schema);
        var address = _app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        _client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = Concurrency }) { BaseAddress = new Uri(address), Timeout = TimeSpan.FromMinutes(5) };
        _client.DefaultRequestHeaders.Add(AicmoApiDefaults.ApiKeyHeader, Key);
        using var check = await _client.GetAsync($"/api/v1/campaigns/{CampaignId}/dashboard");
        var body = await check.Content.ReadAsStringAsync();
        if (!check.IsSuccessStatusCode || !body.Contains(Leads.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"The dashboard does not show the seeded campaign: {(int)check.StatusCode} {body[..Math.Min(300, body.Length)]}");
        }
    }

    [Benchmark(Baseline = true, Description = "GET /health/live")]
    public Task HealthLive() => LoadAsync("/api/v1/health/live");

    [Benchmark(Description = "GET /campaigns/{id}/dashboard")]
    public Task CampaignDashboard() => LoadAsync($"/api/v1/campaigns/{CampaignId}/dashboard");

    [Benchmark(Description = "GET /statistics")]
    public Task Statistics() => LoadAsync("/api/v1/statistics");

    [GlobalCleanup]
    public async Task GlobalCleanup()
    {
        _client?.Dispose();
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }

        WriteLatencies();
    }

    private async Task LoadAsync(string path)
    {
        var clients = new Task[Concurrency];
        for (var c = 0; c < Concurrency; c++)
        {
            clients[c] = Task.Run(async () =>
            {
                for (var i = 0; i < RequestsPerClient; i++)
                {
                    var started = Stopwatch.GetTimestamp();
                    using var response = await _client!.GetAsync(path, HttpCompletionOption.ResponseContentRead);
                    var ms = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                    if (!response.IsSuccessStatusCode)
                    {
                        throw new InvalidOperationException($"{path}: HTTP {(int)response.StatusCode}");
                    }

                    lock (_latencies)
                    {
                        _latencies.Add((path, ms));
                    }
                }
            });
        }

        await Task.WhenAll(clients);
    }

    private async Task SeedOnceAsync(IServiceProvider services, string connectionString, string schema)
    {
        var campaigns = services.GetRequiredService<ICampaignRepository>();
        if (await campaigns.GetAsync(CampaignId) is not null)
        {
            return;
        }

        var now = DateTimeOffset.UtcNow;
        var runId = Guid.NewGuid();
        if (Store == StoreKind.PostgreSql)
        {
            await DashboardPostgreSqlSeed.SeedAsync(connectionString, schema, CampaignId, Leads, runId);
        }
        else
        {
            await SeedSqliteAsync(connectionString, now, runId);
        }

        await services.GetRequiredService<IRunRepository>().SaveAsync(new RunRecord
        {
            RunId = runId, CampaignId = CampaignId, Status = PipelineRunStatus.Completed, StartedAt = now.AddHours(-1), CompletedAt = now,
            Harvested = Leads + (Leads / 20), Duplicates = Leads / 20,
        });
        await campaigns.GetOrAddAsync(new Campaign { Id = CampaignId, Name = "Benchmark campaign", CreatedAt = now });
    }

    private async Task SeedSqliteAsync(string connectionString, DateTimeOffset now, Guid runId)
    {
        await using (var db = new SqliteConnection(connectionString))
        {
            await db.OpenAsync();
            await using var tx = (SqliteTransaction)await db.BeginTransactionAsync();
            var lead = Command(db, tx, "INSERT INTO aicmo_leads (id, campaign_id, identity_key, status, version, run_id, created_at, updated_at, data) VALUES ($id, $c, $k, $s, 1, $r, $t, $t, '{}');", "$id", "$c", "$k", "$s", "$r", "$t");
            var audit = Command(db, tx, "INSERT INTO aicmo_audit_events (lead_id, campaign_id, run_id, sequence, stage, from_status, to_status, reason, at) VALUES ($id, $c, $r, 4, 'qualify', 'Scored', 'Disqualified', $reason, $t);", "$id", "$c", "$r", "$reason", "$t");
            var outbox = Command(db, tx, "INSERT INTO aicmo_outbox (lead_id, sequence, step, campaign_id, recipient, subject, status, attempts, created_at, sent_at) VALUES ($id, 'enterprise', 1, $c, $to, 'Hello', 'Sent', 1, $t, $sent);", "$id", "$c", "$to", "$t", "$sent");
            for (var i = 0; i < Leads; i++)
            {
                var id = Guid.CreateVersion7(now.AddSeconds(-i)).ToString("D", CultureInfo.InvariantCulture);
                var status = Mix[i % Mix.Length];
                var at = now.AddMinutes(-(i % 20_000)).UtcTicks;
                Bind(lead, id, CampaignId, string.Create(CultureInfo.InvariantCulture, $"e:person{i}@example.com"), status.ToString(), runId.ToString("D", CultureInfo.InvariantCulture), at);
                lead.ExecuteNonQuery();
                if (status == LeadStatus.Disqualified)
                {
                    Bind(audit, id, CampaignId, runId.ToString("D", CultureInfo.InvariantCulture), Reasons[i % Reasons.Length], at);
                    audit.ExecuteNonQuery();
                }
                else if (status == LeadStatus.Contacted)
                {
                    Bind(outbox, id, CampaignId, string.Create(CultureInfo.InvariantCulture, $"person{i}@example.com"), at, i % 4 == 0 ? now.UtcTicks : now.AddDays(-3).UtcTicks);
                    outbox.ExecuteNonQuery();
                }
            }

            await tx.CommitAsync();
        }
    }

    private static SqliteCommand Command(SqliteConnection db, SqliteTransaction tx, string sql, params string[] names)
    {
        var command = db.CreateCommand();
        command.Transaction = tx;
        command.CommandText = sql;
        foreach (var name in names)
        {
            command.Parameters.Add(new SqliteParameter { ParameterName = name });
        }

        command.Prepare();
        return command;
    }

    private static void Bind(SqliteCommand command, params object[] values)
    {
        for (var i = 0; i < values.Length; i++)
        {
            command.Parameters[i].Value = values[i];
        }
    }

    private void WriteLatencies()
    {
        if (_latencies.Count == 0)
        {
            return;
        }

        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"{Leads:N0} leads on {Store}, {Concurrency} concurrent clients, every request of this process (warm-up and measured iterations):");
        text.AppendLine();
        text.AppendLine("| endpoint | requests | p50 ms | p99 ms | max ms |");
        text.AppendLine("|---|---:|---:|---:|---:|");
        foreach (var group in _latencies.GroupBy(l => l.Endpoint))
        {
            var sorted = group.Select(l => l.Ms).Order().ToArray();
            double P(double q) => sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(q * sorted.Length) - 1)];
            text.AppendLine(CultureInfo.InvariantCulture, $"| `{group.Key}` | {sorted.Length} | {P(0.50):F1} | {P(0.99):F1} | {sorted[^1]:F1} |");
        }

        var dir = ArtifactsDirectory();
        Directory.CreateDirectory(dir);
        File.AppendAllText(Path.Combine(dir, "DashboardEndpointBenchmarks-latency.md"), text.ToString());
    }

    private static string ArtifactsDirectory()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Aicmo.Sdk.sln")))
            {
                return Path.Combine(dir.FullName, "artifacts", "benchmarks");
            }
        }

        return Path.GetTempPath();
    }
}
