using Aicmo.Sdk.Storage;
using Aicmo.Sdk.Testing.Contracts;

namespace Aicmo.Sdk.Tests.Storage;

public sealed class InMemoryRejectionLogContractTests : RejectionLogContractTests
{
    protected override Task<IRejectionLog> CreateStoreAsync() => Task.FromResult<IRejectionLog>(new InMemoryRejectionLog());
}
