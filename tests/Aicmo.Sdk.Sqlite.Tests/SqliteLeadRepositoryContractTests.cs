using Aicmo.Sdk.Storage;
using Aicmo.Sdk.Testing.Contracts;

namespace Aicmo.Sdk.Sqlite.Tests;

public sealed class SqliteLeadRepositoryContractTests : LeadRepositoryContractTests, IAsyncLifetime
{
    private readonly SqliteContractLifetime _lifetime = new();

    protected override Task<ILeadRepository> CreateStoreAsync() => Task.FromResult(_lifetime.Database.Get<ILeadRepository>());

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _lifetime.DisposeAsync();
}
