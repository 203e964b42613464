using Aicmo.Sdk.Storage;
using Aicmo.Sdk.Testing.Contracts;

namespace Aicmo.Sdk.Tests.Storage;

public sealed class InMemoryLeadStatisticsContractTests : LeadStatisticsContractTests
{
    protected override Task<(ILeadRepository Leads, IAuditLog Audit, IEmailOutbox Outbox, ILeadStatistics Statistics)> CreateStoresAsync()
    {
        var leads = new InMemoryLeadRepository();
        var audit = new InMemoryAuditLog();
        var outbox = new InMemoryEmailOutbox();
        return Task.FromResult<(ILeadRepository, IAuditLog, IEmailOutbox, ILeadStatistics)>((leads, audit, outbox, new InMemoryLeadStatistics(leads, audit, outbox)));
    }
}
