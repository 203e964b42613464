using Aicmo.Sdk.Storage;
using Aicmo.Sdk.Testing.Contracts;

namespace Aicmo.Sdk.Tests.Storage;

public sealed class InMemoryMessageInboxContractTests : MessageInboxContractTests
{
    protected override Task<IMessageInbox> CreateStoreAsync() => Task.FromResult<IMessageInbox>(new InMemoryMessageInbox());
}
