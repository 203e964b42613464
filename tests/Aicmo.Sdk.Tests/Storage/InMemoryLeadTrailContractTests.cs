using Aicmo.Sdk.Storage;
using Aicmo.Sdk.Testing.Contracts;

namespace Aicmo.Sdk.Tests.Storage;

public sealed class InMemoryLeadTrailContractTests : LeadTrailContractTests
{
    protected override Task<(ILeadRepository Leads, IAuditLog AuditLog)> CreateStoresAsync()
    {
        var audit = new InMemoryAuditLog();
        return Task.FromResult<(ILeadRepository, IAuditLog)>((new InMemoryLeadRepository(audit), audit));
    }
}
