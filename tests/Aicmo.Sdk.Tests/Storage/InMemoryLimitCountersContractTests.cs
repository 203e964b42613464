using Aicmo.Sdk.Storage;
using Aicmo.Sdk.Testing.Contracts;

namespace Aicmo.Sdk.Tests.Storage;

public sealed class InMemoryLimitCountersContractTests : LimitCountersContractTests
{
    protected override Task<ILimitCounters> CreateStoreAsync() => Task.FromResult<ILimitCounters>(new InMemoryLimitCounters());
}
