using Aicmo.Sdk.Domain;
using Aicmo.Sdk.Pipeline;
using Aicmo.Sdk.Storage;
using Aicmo.Sdk.Testing;

namespace Aicmo.Sdk.AspNetCore.Tests.Support;

/// <summary>A host whose campaigns hold two known people (Ada and Grace), routed and mailed by a real pipeline run.</summary>
internal static class People
{
    public const string Ada = "ada.lovelace@analytical.example";
    public const string Grace = "grace.hopper@navy.example";

    public static Task<ApiHost> StartAsync(Action<AicmoApiOptions>? api = null, Action<AicmoPipelineOptions>? pipeline = null, Action<IAicmoPipelineBuilder>? builder = null) =>
        ApiHost.StartAsync(
            api,
            leadsPerSource: 0,
            pipeline: p =>
            {
                p.AddLeadSource(new InMemoryLeadSource("crm", [Candidate("Ada", "Lovelace", "Ada.Lovelace@Analytical.example"), Candidate("Grace", "Hopper", Grace)]));
                builder?.Invoke(p);
            },
            services: s => s.Configure<AicmoPipelineOptions>(o =>
            {
                o.Qualification.MinScore = 0.1;
                pipeline?.Invoke(o);
            }));

    /// <summary>Creates a campaign through the API and runs its pipeline to the end, so its leads are routed and mailed.</summary>
    public static async Task<string> SeedCampaignAsync(ApiHost host)
    {
        var id = await host.CreateCampaignAsync();
        var result = await host.Services.GetRequiredService<ILeadPipeline>().RunAsync(new PipelineRunRequest { CampaignId = id });
        Assert.True(result.IsBalanced);
        return id;
    }

    public static async Task<Lead> LeadAsync(ApiHost host, string campaignId, string email) =>
        await host.Services.GetRequiredService<ILeadRepository>().FindByIdentityAsync(campaignId, "e:" + email)
        ?? throw new InvalidOperationException($"No lead {email} in {campaignId}.");

    private static LeadCandidate Candidate(string first, string last, string email) => new()
    {
        FirstName = first, LastName = last, Email = email, Title = "CTO", CompanyName = last + " Inc", CompanyDomain = email.Split('@')[1],
        CompanySize = 500, Industry = "Software", Country = "GB",
    };
}
