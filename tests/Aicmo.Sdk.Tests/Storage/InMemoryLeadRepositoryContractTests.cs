using Aicmo.Sdk.Storage;
using Aicmo.Sdk.Testing.Contracts;

namespace Aicmo.Sdk.Tests.Storage;

public sealed class InMemoryLeadRepositoryContractTests : LeadRepositoryContractTests
{
    protected override Task<ILeadRepository> CreateStoreAsync() => Task.FromResult<ILeadRepository>(new InMemoryLeadRepository());
}
