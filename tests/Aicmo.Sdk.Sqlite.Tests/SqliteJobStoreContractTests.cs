using Aicmo.Sdk.Storage;
using Aicmo.Sdk.Testing.Contracts;

namespace Aicmo.Sdk.Sqlite.Tests;

public sealed class SqliteJobStoreContractTests : JobStoreContractTests, IAsyncLifetime
{
    private readonly SqliteContractLifetime _lifetime = new();

    protected override Task<IJobStore> CreateStoreAsync() => Task.FromResult(_lifetime.Database.Get<IJobStore>());

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _lifetime.DisposeAsync();
}
