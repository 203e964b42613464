using Aicmo.Sdk.Csv.Export;
using Aicmo.Sdk.Storage;

namespace Aicmo.Sdk.Csv.Tests.Export;

public class LeadPagesTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(250)]
    public async Task ReadAll_PagesThroughEveryLeadOfTheCampaign(int count)
    {
        var repository = new InMemoryLeadRepository();
        var ids = new HashSet<Guid>();
        await foreach (var lead in ExportLeads.Many(count))
        {
            lead.IdentityKey = "e:" + lead.Id;
            ids.Add(lead.Id);
            Assert.True(await repository.TryAddAsync(lead));
        }

        var read = new List<Guid>();
        await foreach (var lead in LeadPages.ReadAllAsync(repository, new LeadQuery { CampaignId = "spring", Take = 7 }))
        {
            read.Add(lead.Id);
        }

        Assert.Equal(count, read.Count);
        Assert.True(ids.SetEquals(read));
    }
}
