using Aicmo.Sdk.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace Aicmo.Sdk.Sqlite.Tests;

/// <summary>A real SQLite file in a temporary directory, with the pipeline's stores registered on it; deleted on dispose.</summary>
public sealed class SqliteTestDatabase : IAsyncDisposable
{
    private readonly ServiceProvider _services;

    public SqliteTestDatabase(Action<SqliteStoreOptions>? configure = null, Action<IAicmoPipelineBuilder>? pipeline = null)
    {
        Directory = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "aicmo-sqlite-tests", Guid.NewGuid().ToString("N"));
        Path = System.IO.Path.Combine(Directory, "aicmo.db");
        ConnectionString = $"Data Source={Path}";
        var services = new ServiceCollection();
        var builder = services.AddAicmoPipeline(o => o.DryRun = false).UseSqlite(ConnectionString, configure);
        pipeline?.Invoke(builder);
        _services = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }

    public string Directory { get; }

    public string Path { get; }

    public string ConnectionString { get; }

    public IServiceProvider Services => _services;

    public T Get<T>()
        where T : notnull => _services.GetRequiredService<T>();

    public async ValueTask DisposeAsync()
    {
        await _services.DisposeAsync();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}

/// <summary>Gives each contract test its own database file.</summary>
public sealed class SqliteContractLifetime
{
    private SqliteTestDatabase? _database;

    public SqliteTestDatabase Database => _database ??= new SqliteTestDatabase();

    public async Task DisposeAsync()
    {
        if (_database is not null)
        {
            await _database.DisposeAsync();
        }
    }
}
