using Aicmo.Sdk.Storage;
using Aicmo.Sdk.Testing.Contracts;

namespace Aicmo.Sdk.Sqlite.Tests;

public sealed class SqliteLeadTrailContractTests : LeadTrailContractTests, IAsyncLifetime
{
    private readonly SqliteContractLifetime _lifetime = new();

    protected override Task<(ILeadRepository Leads, IAuditLog AuditLog)> CreateStoresAsync() =>
        Task.FromResult((_lifetime.Database.Get<ILeadRepository>(), _lifetime.Database.Get<IAuditLog>()));

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _lifetime.DisposeAsync();
}
