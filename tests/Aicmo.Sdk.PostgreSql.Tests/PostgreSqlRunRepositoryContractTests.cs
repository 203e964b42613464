using Aicmo.Sdk.Storage;
using Aicmo.Sdk.Testing.Contracts;

namespace Aicmo.Sdk.PostgreSql.Tests;

[SkipWithoutPostgreSql]
public sealed class PostgreSqlRunRepositoryContractTests : RunRepositoryContractTests, IAsyncLifetime
{
    private readonly PostgreSqlContractLifetime _lifetime = new();

    protected override Task<IRunRepository> CreateStoreAsync() => Task.FromResult(_lifetime.Database.Get<IRunRepository>());

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _lifetime.DisposeAsync();
}
