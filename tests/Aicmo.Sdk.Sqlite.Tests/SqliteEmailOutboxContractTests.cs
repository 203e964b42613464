using Aicmo.Sdk.Storage;
using Aicmo.Sdk.Testing.Contracts;

namespace Aicmo.Sdk.Sqlite.Tests;

public sealed class SqliteEmailOutboxContractTests : EmailOutboxContractTests, IAsyncLifetime
{
    private readonly SqliteContractLifetime _lifetime = new();

    protected override Task<IEmailOutbox> CreateStoreAsync() => Task.FromResult(_lifetime.Database.Get<IEmailOutbox>());

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _lifetime.DisposeAsync();
}
