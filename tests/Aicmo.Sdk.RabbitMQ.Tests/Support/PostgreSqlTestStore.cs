using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Aicmo.Sdk.RabbitMQ.Tests.Support;

/// <summary>
/// The pipeline's stores on the PostgreSQL test server (<c>AICMO_POSTGRES_CONNECTION</c>, set by <c>.ci/services.d/postgres.sh</c>),
/// in a schema of their own that is dropped on dispose.
/// </summary>
internal sealed class PostgreSqlTestStore : IAsyncDisposable
{
    public const string Variable = "AICMO_POSTGRES_CONNECTION";

    private readonly ServiceProvider _services;

    public PostgreSqlTestStore()
    {
        var value = Environment.GetEnvironmentVariable(Variable);
        if (string.IsNullOrWhiteSpace(value))
        {
            throw new InvalidOperationException($"{Variable} is not set: run ./build.sh test, or set it to an Npgsql connection string.");
        }

        ConnectionString = new NpgsqlConnectionStringBuilder(value) { MaxPoolSize = 20, IncludeErrorDetail = true }.ConnectionString;
        Schema = "t_" + Guid.NewGuid().ToString("N");
        var services = new ServiceCollection();
        services.AddAicmoPipeline(o => o.DryRun = false).UsePostgreSql(ConnectionString, o => o.Schema = Schema);
        _services = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }

    public static bool IsConfigured => !string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable(Variable));

    public string ConnectionString { get; }

    public string Schema { get; }

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
