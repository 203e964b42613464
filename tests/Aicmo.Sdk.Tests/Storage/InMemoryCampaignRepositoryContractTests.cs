using Aicmo.Sdk.Storage;
using Aicmo.Sdk.Testing.Contracts;

namespace Aicmo.Sdk.Tests.Storage;

public sealed class InMemoryCampaignRepositoryContractTests : CampaignRepositoryContractTests
{
    protected override Task<ICampaignRepository> CreateStoreAsync() => Task.FromResult<ICampaignRepository>(new InMemoryCampaignRepository());
}
