using Aicmo.Sdk.Storage;
using Aicmo.Sdk.Testing.Contracts;

namespace Aicmo.Sdk.Tests.Storage;

public sealed class InMemorySuppressionListContractTests : SuppressionListContractTests
{
    protected override Task<ISuppressionList> CreateStoreAsync() => Task.FromResult<ISuppressionList>(new InMemorySuppressionList());
}
