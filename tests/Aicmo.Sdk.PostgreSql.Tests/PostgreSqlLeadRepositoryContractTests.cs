using Aicmo.Sdk.Storage;
using Aicmo.Sdk.Testing.Contracts;

namespace Aicmo.Sdk.PostgreSql.Tests;

[SkipWithoutPostgreSql]
public sealed class PostgreSqlLeadRepositoryContractTests : LeadRepositoryContractTests, IAsyncLifetime
{
    private readonly PostgreSqlContractLifetime _lifetime = new();

    protected override Task<ILeadRepository> CreateStoreAsync() => Task.FromResult(_lifetime.Database.Get<ILeadRepository>());

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _lifetime.DisposeAsync();
}
