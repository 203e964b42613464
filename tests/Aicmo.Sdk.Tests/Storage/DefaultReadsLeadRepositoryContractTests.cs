using Aicmo.Sdk.Domain;
using Aicmo.Sdk.Storage;
using Aicmo.Sdk.Testing.Contracts;
using Aicmo.Sdk.Tests.Support;

namespace Aicmo.Sdk.Tests.Storage;

/// <summary>
/// The lead contract on a store that leaves <see cref="ILeadRepository.GetManyAsync"/> to the interface's default (one read per
/// id), as a third-party store written before the method existed would.
/// </summary>
public sealed class DefaultReadsLeadRepositoryContractTests : LeadRepositoryContractTests
{
    protected override Task<ILeadRepository> CreateStoreAsync() => Task.FromResult<ILeadRepository>(new RequiredMembersLeadRepository(new InMemoryLeadRepository()));
}
