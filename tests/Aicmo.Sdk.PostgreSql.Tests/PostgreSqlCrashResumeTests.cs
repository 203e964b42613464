using Aicmo.Sdk.Storage.Tests;

namespace Aicmo.Sdk.PostgreSql.Tests;

[SkipWithoutPostgreSql]
public sealed class PostgreSqlCrashResumeTests : CrashResumeTestsBase, IAsyncLifetime
{
    private readonly PostgreSqlContractLifetime _lifetime = new();

    protected override (string Connection, string Schema) HostArguments => (_lifetime.Database.ConnectionString, _lifetime.Database.Schema);

    protected override IServiceProvider OpenStores() => _lifetime.Database.Services;

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _lifetime.DisposeAsync();
}
