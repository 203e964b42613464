using Aicmo.Sdk.Storage;
using Aicmo.Sdk.Testing.Contracts;

namespace Aicmo.Sdk.Tests.Storage;

public sealed class InMemoryAuditLogContractTests : AuditLogContractTests
{
    protected override Task<IAuditLog> CreateStoreAsync() => Task.FromResult<IAuditLog>(new InMemoryAuditLog());
}
