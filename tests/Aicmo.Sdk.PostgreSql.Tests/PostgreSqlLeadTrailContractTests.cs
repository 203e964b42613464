using Aicmo.Sdk.Storage;
using Aicmo.Sdk.Testing.Contracts;

namespace Aicmo.Sdk.PostgreSql.Tests;

[SkipWithoutPostgreSql]
public sealed class PostgreSqlLeadTrailContractTests : LeadTrailContractTests, IAsyncLifetime
{
    private readonly PostgreSqlContractLifetime _lifetime = new();

    protected override Task<(ILeadRepository Leads, IAuditLog AuditLog)> CreateStoresAsync() =>
        Task.FromResult((_lifetime.Database.Get<ILeadRepository>(), _lifetime.Database.Get<IAuditLog>()));

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _lifetime.DisposeAsync();
}
