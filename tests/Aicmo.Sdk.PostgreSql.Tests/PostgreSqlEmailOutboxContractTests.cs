using Aicmo.Sdk.Storage;
using Aicmo.Sdk.Testing.Contracts;

namespace Aicmo.Sdk.PostgreSql.Tests;

[SkipWithoutPostgreSql]
public sealed class PostgreSqlEmailOutboxContractTests : EmailOutboxContractTests, IAsyncLifetime
{
    private readonly PostgreSqlContractLifetime _lifetime = new();

    protected override Task<IEmailOutbox> CreateStoreAsync() => Task.FromResult(_lifetime.Database.Get<IEmailOutbox>());

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _lifetime.DisposeAsync();
}
