using Aicmo.Sdk.Storage;
using Aicmo.Sdk.Testing.Contracts;

namespace Aicmo.Sdk.Sqlite.Tests;

public sealed class SqliteCampaignRepositoryContractTests : CampaignRepositoryContractTests, IAsyncLifetime
{
    private readonly SqliteContractLifetime _lifetime = new();

    protected override Task<ICampaignRepository> CreateStoreAsync() => Task.FromResult(_lifetime.Database.Get<ICampaignRepository>());

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _lifetime.DisposeAsync();
}
