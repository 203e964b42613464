using Aicmo.Sdk.Storage;
using Aicmo.Sdk.Testing.Contracts;

namespace Aicmo.Sdk.Tests.Storage;

public sealed class InMemoryJobStoreContractTests : JobStoreContractTests
{
    protected override Task<IJobStore> CreateStoreAsync() => Task.FromResult<IJobStore>(new InMemoryJobStore(TimeProvider.System));
}
