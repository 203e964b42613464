using Aicmo.Sdk.Domain;
using Aicmo.Sdk.Pipeline;
using Aicmo.Sdk.Storage;
using Aicmo.Sdk.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Aicmo.Sdk.Tests.Scenarios;

public sealed class HostileInputScenarioTests
{
    [Fact]
    public async Task Pipeline_HostileCandidates_AreRejectedOrDisqualifiedWithReasonsAndNeverMailed()
    {
        LeadCandidate Candidate(string email, string first = "Ada", string company = "Analytical") => new()
        {
            Email = email, FirstName = first, LastName = "Lovelace", Title = "CTO", CompanyName = company, CompanySize = 500, Country = "US",
        };
        var candidates = new[]
        {
            Candidate("ada\uD800@analytical.io"),
            Candidate("ada@analytical.io\r\nBcc: victim@example.com"),
            Candidate("ada2@analytical.io", first: "Ada\r\nBcc: victim@example.com"),
            Candidate("ada3@analytical.io", company: "Acme\0"),
            Candidate("ade\u0301le@analytical.io"),
            Candidate("ada4@analytical.io", first: "A\u202Eecila"),
            Candidate("ada5@analytical.io", company: new string('x', 5_000)),
            Candidate("grace@analytical.io"),
        };
        var sender = new RecordingEmailSender();
        var services = new ServiceCollection();
        services.AddAicmoPipeline(o => o.Qualification.MinScore = 0.2).AddLeadSource(new InMemoryLeadSource("hostile", candidates)).AddEmailSender(sender);
        await using var provider = services.BuildServiceProvider();

        var result = await provider.GetRequiredService<ILeadPipeline>().RunAsync(new PipelineRunRequest { CampaignId = "hostile" });

        Assert.Equal(PipelineRunStatus.Completed, result.Status);
        Assert.True(result.IsBalanced);
        // NUL is refused at intake (never stored); the other hostile values are stored and disqualified with their reasons.
        Assert.Equal(1, result.Rejected);
        Assert.Equal(6, result.Disqualified);
        Assert.Equal(1, result.Contacted);
        Assert.Equal("grace@analytical.io", Assert.Single(sender.Sent).To);
        var leads = await provider.GetRequiredService<ILeadRepository>().QueryAsync(new LeadQuery { CampaignId = "hostile", Status = LeadStatus.Disqualified });
        Assert.All(leads, l => Assert.Contains(l.Qualification!.Reasons, r => r.StartsWith("hostile input:", StringComparison.Ordinal) || r == "malformed email address"));
    }
}
