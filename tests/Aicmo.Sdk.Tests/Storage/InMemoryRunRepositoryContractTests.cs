using Aicmo.Sdk.Storage;
using Aicmo.Sdk.Testing.Contracts;

namespace Aicmo.Sdk.Tests.Storage;

public sealed class InMemoryRunRepositoryContractTests : RunRepositoryContractTests
{
    protected override Task<IRunRepository> CreateStoreAsync() => Task.FromResult<IRunRepository>(new InMemoryRunRepository());
}
