using Aicmo.Sdk.Storage.Tests;

namespace Aicmo.Sdk.Sqlite.Tests;

public sealed class SqliteCrashResumeTests : CrashResumeTestsBase, IAsyncLifetime
{
    private readonly SqliteTestDatabase _database = new();

    protected override (string Connection, string Schema) HostArguments => (_database.ConnectionString, "-");

    protected override IServiceProvider OpenStores() => _database.Services;

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _database.DisposeAsync().AsTask();
}
