using Aicmo.Sdk.Pipeline;
using Aicmo.Sdk.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace Aicmo.Sdk.Csv.Tests.Pipeline;

/// <summary>A hostile file through the whole pipeline: every row is counted once, as rejected, a duplicate or an outcome.</summary>
public sealed class CsvPipelineConservationTests
{
    [Fact]
    public async Task Run_HostileFixture_EveryRowEndsOnceAndRejectionsKeepTheirLineAndReason()
    {
        var services = new ServiceCollection();
        services.AddAicmoPipeline(o => o.DryRun = true).AddCsvLeadSource(CsvTestFiles.Fixture("hostile.csv"));
        await using var provider = services.BuildServiceProvider();
        var pipeline = provider.GetRequiredService<ILeadPipeline>();

        var first = await pipeline.RunAsync(new PipelineRunRequest { CampaignId = "hostile" });
        var second = await pipeline.RunAsync(new PipelineRunRequest { CampaignId = "hostile" });

        Assert.Equal((11, 6, 0), (first.Harvested, first.Rejected, first.Duplicates));
        Assert.True(first.IsBalanced);
        Assert.Equal(first.Harvested - first.Rejected, await provider.GetRequiredService<ILeadRepository>().CountAsync("hostile"));
        var rejections = await provider.GetRequiredService<IRejectionLog>().ListAsync(first.RunId);
        Assert.Equal(["line 3", "line 4", "line 5", "line 7", "line 8", "line 13"], rejections.Select(r => r.Position));
        Assert.All(rejections, r => Assert.StartsWith(r.Position + ":", r.Reason, StringComparison.Ordinal));

        // Read again: the rows taken are duplicates now, the refused ones are refused again, and nothing is stored twice.
        Assert.Equal((11, 6, 5), (second.Harvested, second.Rejected, second.Duplicates));
        Assert.True(second.IsBalanced);
        Assert.Equal(5, await provider.GetRequiredService<ILeadRepository>().CountAsync("hostile"));
    }
}
