using Aicmo.Sdk.PostgreSql;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Aicmo.Sdk.PostgreSql.Tests;

/// <summary>A schema of its own on the test server, with the pipeline's stores registered on it; dropped on dispose.</summary>
public sealed class PostgreSqlTestDatabase : IAsyncDisposable
{
    private readonly ServiceProvider _services;

    public PostgreSqlTestDatabase(Action<PostgreSqlStoreOptions>? configure = null, Action<IAicmoPipelineBuilder>? pipeline = null)
    {
        ConnectionString = PostgreSqlTestServer.ConnectionString;
        Schema = "t_" + Guid.NewGuid().ToString("N");
        var services = new ServiceCollection();
        var builder = services.AddAicmoPipeline(o => o.DryRun = false).UsePostgreSql(ConnectionString, o =>
        {
            o.Schema = Schema;
            configure?.Invoke(o);
        });
        pipeline?.Invoke(builder);
        _services = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }

    public string ConnectionString { get; }

    public string Schema { get; }

    public IServiceProvider Services => _services;

    public T Get<T>()
        where T : notnull => _services.GetRequiredService<T>();

    public async ValueTask DisposeAsync()
    {
        await _services.DisposeAsync();
        await using var dataSource = NpgsqlDataSource.Create(ConnectionString);
        await using var command = dataSource.CreateCommand($"DROP SCHEMA IF EXISTS \"{Schema}\" CASCADE;");
        await command.ExecuteNonQueryAsync();
    }
}

/// <summary>Gives each contract test a schema of its own.</summary>
public sealed class PostgreSqlContractLifetime
{
    private PostgreSqlTestDatabase? _database;

    public PostgreSqlTestDatabase Database => _database ??= new PostgreSqlTestDatabase();

    public async Task DisposeAsync()
    {
        if (_database is not null)
        {
            await _database.DisposeAsync();
        }
    }
}
