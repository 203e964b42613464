using Aicmo.Sdk.Storage;
using Aicmo.Sdk.Testing.Contracts;

namespace Aicmo.Sdk.Sqlite.Tests;

public sealed class SqliteLeadStatisticsContractTests : LeadStatisticsContractTests, IAsyncLifetime
{
    private readonly SqliteContractLifetime _lifetime = new();

    protected override Task<(ILeadRepository Leads, IAuditLog Audit, IEmailOutbox Outbox, ILeadStatistics Statistics)> CreateStoresAsync()
    {
        var db = _lifetime.Database;
        return Task.FromResult((db.Get<ILeadRepository>(), db.Get<IAuditLog>(), db.Get<IEmailOutbox>(), db.Get<ILeadStatistics>()));
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _lifetime.DisposeAsync();
}
