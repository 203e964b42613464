using Aicmo.Sdk.Storage;
using Aicmo.Sdk.Testing.Contracts;

namespace Aicmo.Sdk.PostgreSql.Tests;

[SkipWithoutPostgreSql]
public sealed class PostgreSqlCampaignRepositoryContractTests : CampaignRepositoryContractTests, IAsyncLifetime
{
    private readonly PostgreSqlContractLifetime _lifetime = new();

    protected override Task<ICampaignRepository> CreateStoreAsync() => Task.FromResult(_lifetime.Database.Get<ICampaignRepository>());

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _lifetime.DisposeAsync();
}
