using System.Globalization;
using Aicmo.Sdk.RabbitMQ.Internal;
using Aicmo.Sdk.RabbitMQ.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Aicmo.Sdk.RabbitMQ.Tests.MultiProcess;

/// <summary>
/// Worker-sample processes sharing one PostgreSQL schema and one queue prefix of their own on the test broker, each recording
/// the sends it made to a file of its own. On dispose every process is killed, the schema dropped, the queues and exchanges
/// deleted, and the send files removed.
/// </summary>
internal sealed class SampleCluster : IAsyncDisposable
{
    private readonly List<SampleProcess> _processes = [];
    private readonly string _sends = Directory.CreateTempSubdirectory("aicmo-mp-").FullName;
    private readonly string[] _configuration;
    private ServiceProvider? _stores;

    public SampleCluster(params string[] configuration)
    {
        var connection = Environment.GetEnvironmentVariable(PostgreSqlTestStore.Variable);
        if (string.IsNullOrWhiteSpace(connection))
        {
            throw new InvalidOperationException($"{PostgreSqlTestStore.Variable} is not set: the worker processes share a PostgreSQL store.");
        }

        ConnectionString = new NpgsqlConnectionStringBuilder(connection) { MaxPoolSize = 20 }.ConnectionString;
        Schema = "mp_" + Guid.NewGuid().ToString("N");
        Prefix = "mp" + Guid.NewGuid().ToString("N")[..12];
        _configuration = configuration;
    }

    public string ConnectionString { get; }

    public string Schema { get; }

    public string Prefix { get; }

    public IReadOnlyList<SampleProcess> Processes => _processes;

    /// <summary>Starts a process that joins runs (<c>--worker</c>) and waits until it is ready.</summary>
    public async Task<SampleProcess> StartWorkerAsync(string name, params string[] arguments)
    {
        var process = Start(name, ["--worker", .. arguments]);
        await process.WaitForLineAsync(static l => l == "ready", TimeSpan.FromMinutes(1), "ready");
        return process;
    }

    /// <summary>Starts a process that starts <paramref name="runs"/> runs of <paramref name="leads"/> candidates each.</summary>
    public SampleProcess StartRuns(string name, int leads, int runs = 1, string campaign = "mp", params string[] arguments) =>
        Start(name, ["--leads", leads.ToString(CultureInfo.InvariantCulture), "--runs", runs.ToString(CultureInfo.InvariantCulture), "--campaign", campaign, .. arguments]);

    /// <summary>Reads the idempotency keys every process of the cluster sent, over all its lives (a process started again appends).</summary>
    public IReadOnlyList<string> ReadSends() =>
        Directory.EnumerateFiles(_sends, "*.log").SelectMany(File.ReadAllLines).Where(l => l.Length > 0).ToList();

    /// <summary>Reads the idempotency keys one process sent, over all its lives.</summary>
    public IReadOnlyList<string> ReadSends(string name) =>
        File.Exists(SendFile(name)) ? File.ReadAllLines(SendFile(name)).Where(l => l.Length > 0).ToList() : [];

    /// <summary>The stores the processes share, opened in the test process.</summary>
    public IServiceProvider Stores
    {
        get
        {
            if (_stores is null)
            {
                var services = new ServiceCollection();
                services.AddAicmoPipeline(o => o.DryRun = false).UsePostgreSql(ConnectionString, o => o.Schema = Schema);
                _stores = services.BuildServiceProvider();
            }

            return _stores;
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var process in _processes)
        {
            await process.DisposeAsync();
        }

        if (_stores is not null)
        {
            await _stores.DisposeAsync();
        }

        var names = new RabbitMqConnectionProvider(RabbitMqTestBroker.NewOptions(o => o.QueuePrefix = Prefix));
        await RabbitMqTestBroker.DeleteTopologyAsync(names, ["enrich", "score", "qualify", "route", "nurture"]);
        await names.DisposeAsync();
        await using var dataSource = NpgsqlDataSource.Create(ConnectionString);
        await using var command = dataSource.CreateCommand($"DROP SCHEMA IF EXISTS \"{Schema}\" CASCADE;");
        await command.ExecuteNonQueryAsync();
        Directory.Delete(_sends, recursive: true);
    }

    private string SendFile(string name) => Path.Combine(_sends, name + ".log");

    private SampleProcess Start(string name, string[] arguments)
    {
        var process = SampleProcess.Start(name, [
            "--rabbitmq", RabbitMqTestBroker.Uri.ToString(),
            "--postgres", ConnectionString,
            "--schema", Schema,
            "--queue-prefix", Prefix,
            "--sends-file", SendFile(name),
            .. arguments,
            .. _configuration,
        ]);
        _processes.Add(process);
        return process;
    }
}
