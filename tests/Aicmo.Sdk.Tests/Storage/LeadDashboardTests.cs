using Aicmo.Sdk.Domain;
using Aicmo.Sdk.Pipeline;
using Aicmo.Sdk.Storage;
using Aicmo.Sdk.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Aicmo.Sdk.Tests.Storage;

public sealed class LeadDashboardTests
{
    [Fact]
    public async Task Dashboard_AfterRun_FunnelsMatchTheResultAndLeadsCarryTheirTrail()
    {
        var services = new ServiceCollection();
        services.AddAicmoPipeline(o => o.DryRun = true).AddLeadSource(new SyntheticLeadSource(300));
        await using var provider = services.BuildServiceProvider();
        var result = await provider.GetRequiredService<ILeadPipeline>().RunAsync(new PipelineRunRequest { CampaignId = "dash" });
        var dashboard = provider.GetRequiredService<LeadDashboard>();

        var funnel = await dashboard.GetFunnelAsync("dash");
        var (run, runFunnel) = (await dashboard.GetRunFunnelAsync(result.RunId))!.Value;

        Assert.Equal(result.Harvested - result.Duplicates, funnel.Total);
        Assert.Equal(result.Disqualified, funnel[LeadStatus.Disqualified]);
        Assert.Equal(result.Routed, funnel[LeadStatus.Routed]);
        Assert.Equal(funnel.Counts, runFunnel.Counts);
        Assert.Equal(result.Status, run.Status);
        Assert.Null(await dashboard.GetRunFunnelAsync(Guid.NewGuid()));

        var page = await dashboard.ListLeadsAsync(new LeadQuery { CampaignId = "dash", Status = LeadStatus.Routed, Take = 5 });
        Assert.Equal(Math.Min(5, result.Routed), page.Count);
        var details = await dashboard.GetLeadAsync(page[0].Id);
        Assert.Equal(page[0].Version, details!.Trail[^1].Sequence);
        Assert.Equal(LeadStatus.Routed, details.Trail[^1].To);
        Assert.Null(await dashboard.GetLeadAsync(Guid.NewGuid()));
        Assert.Equal(result.Routed, (await dashboard.ListOutboxAsync(OutboxStatus.DryRun, take: 1000)).Count);
    }
}
