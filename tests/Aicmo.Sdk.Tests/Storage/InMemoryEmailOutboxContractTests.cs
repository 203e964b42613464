using Aicmo.Sdk.Storage;
using Aicmo.Sdk.Testing.Contracts;

namespace Aicmo.Sdk.Tests.Storage;

public sealed class InMemoryEmailOutboxContractTests : EmailOutboxContractTests
{
    protected override Task<IEmailOutbox> CreateStoreAsync() => Task.FromResult<IEmailOutbox>(new InMemoryEmailOutbox());
}
