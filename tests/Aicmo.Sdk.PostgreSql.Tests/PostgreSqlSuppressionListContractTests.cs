using Aicmo.Sdk.Storage;
using Aicmo.Sdk.Testing.Contracts;

namespace Aicmo.Sdk.PostgreSql.Tests;

[SkipWithoutPostgreSql]
public sealed class PostgreSqlSuppressionListContractTests : SuppressionListContractTests, IAsyncLifetime
{
    private readonly PostgreSqlContractLifetime _lifetime = new();

    protected override Task<ISuppressionList> CreateStoreAsync() => Task.FromResult(_lifetime.Database.Get<ISuppressionList>());

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _lifetime.DisposeAsync();
}
