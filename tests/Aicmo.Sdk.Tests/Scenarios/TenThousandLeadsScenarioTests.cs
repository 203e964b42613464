using System.Collections.Concurrent;
using Aicmo.Sdk.Domain;
using Aicmo.Sdk.Enrichment;
using Aicmo.Sdk.Identity;
using Aicmo.Sdk.Nurture;
using Aicmo.Sdk.Pipeline;
using Aicmo.Sdk.Routing;
using Aicmo.Sdk.Storage;
using Aicmo.Sdk.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Aicmo.Sdk.Tests.Scenarios;

/// <summary>10,000 synthetic leads through every engine via the pipeline, then days of nurture passes, checking the invariants.</summary>
public sealed class TenThousandLeadsScenarioTests
{
    private const string Campaign = "scenario";
    private const int EnterpriseCapacity = 600;

    private sealed class IndustryProvider : IEnrichmentProvider
    {
        public string Name => "firmographics";

        public ValueTask<IReadOnlyList<EnrichedValue>> LookupAsync(Lead lead, IReadOnlyCollection<string> missingFields, CancellationToken cancellationToken)
        {
            var values = new List<EnrichedValue>();
            if (missingFields.Contains(EnrichmentFields.Industry)) values.Add(new EnrichedValue(EnrichmentFields.Industry, "Software", 0.6));
            if (missingFields.Contains(EnrichmentFields.CompanySize)) values.Add(new EnrichedValue(EnrichmentFields.CompanySize, "120", 0.5));
            if (missingFields.Contains(EnrichmentFields.Country)) values.Add(new EnrichedValue(EnrichmentFields.Country, "US", 0.4));
            return new(values);
        }
    }

    [Fact]
    public async Task TenThousandLeads_ThroughEveryEngine_KeepTheInvariants()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2025, 3, 7, 13, 0, 0, TimeSpan.Zero)); // a Friday, DST change two days later
        var sender = new RecordingEmailSender();
        var suppression = new InMemorySuppressionList();
        var suppressed = SyntheticLeadSource.Generate(10_000, seed: 42)
            .Select(c => LeadIdentity.NormalizeEmail(c.Email))
            .OfType<string>()
            .Where(e => EmailAddress.IsValid(e))
            .Where((_, i) => i % 37 == 0)
            .ToHashSet(StringComparer.Ordinal);
        foreach (var email in suppressed)
        {
            await suppression.AddAsync(new SuppressionEntry(email, SuppressionReason.Unsubscribed, time.GetUtcNow()));
        }

        var services = new ServiceCollection();
        services.AddSingleton<ISuppressionList>(suppression);
        services.AddAicmoPipeline(o =>
            {
                o.DegreeOfParallelism = 2;
                o.Qualification.MinScore = 0.35;
                o.Routing.Rules.Add(new RoutingRule { Name = "enterprise", MinScore = 0.5, Team = "enterprise", Sequence = "enterprise" });
                o.Routing.Teams["enterprise"] = new RoutingTeam
                {
                    Strategy = AssignmentStrategy.LeastLoaded,
                    Owners = { new RoutingOwner { Name = "ae-1", DailyCapacity = EnterpriseCapacity }, new RoutingOwner { Name = "ae-2", DailyCapacity = EnterpriseCapacity } },
                };
                o.Routing.Teams["inbound"] = new RoutingTeam
                {
                    Strategy = AssignmentStrategy.Weighted,
                    Owners = { new RoutingOwner { Name = "sdr-1", Weight = 2 }, new RoutingOwner { Name = "sdr-2" }, new RoutingOwner { Name = "sdr-3", Available = false } },
                };
                o.Routing.DefaultTeam = "inbound";
                o.Routing.DefaultSequence = "inbound";
                o.Nurture.SendingWindow.Enabled = true;
                o.Nurture.MaxPerMailboxPerHour = 400;
                o.Nurture.MaxPerRecipientDomainPerDay = 50;
                foreach (var name in new[] { "enterprise", "inbound" })
                {
                    o.Nurture.Sequences[name] = new NurtureSequence
                    {
                        Steps =
                        {
                            new NurtureStep { Subject = "{{FirstName}}, {{CompanyName}} and us", Template = "{{#if Title}}As {{Title}}{{else}}Hi{{/if}}, {{FirstName}}." },
                            new NurtureStep { Delay = TimeSpan.FromDays(1), Subject = "Re: {{CompanyName}}", Template = "Following up, {{FirstName}}." },
                            new NurtureStep { Delay = TimeSpan.FromDays(2), Subject = "Last note", Template = "Closing the loop. {{UnsubscribeUrl}}" },
                        },
                    };
                }
            })
            .AddLeadSource(new SyntheticLeadSource(10_000, seed: 42))
            .AddEnrichmentProvider<IndustryProvider>()
            .AddEmailSender(sender)
            .UseTimeProvider(time)
            .UseHandlebarsTemplates();
        await using var provider = services.BuildServiceProvider();
        var pipeline = provider.GetRequiredService<ILeadPipeline>();
        var leads = provider.GetRequiredService<ILeadRepository>();
        var nurture = provider.GetRequiredService<NurtureService>();

        var result = await pipeline.RunAsync(new PipelineRunRequest { CampaignId = Campaign });

        // The funnel adds up.
        Assert.Equal(PipelineRunStatus.Completed, result.Status);
        Assert.Equal(10_000, result.Harvested);
        Assert.True(result.IsBalanced, "the funnel does not add up: " + System.Text.Json.JsonSerializer.Serialize(result));
        Assert.Equal(0, result.Quarantined);
        Assert.True(result.Contacted > 0 && result.Routed > 0 && result.Disqualified > 0 && result.ManualReview > 0 && result.Suppressed > 0,
            $"contacted {result.Contacted}, routed {result.Routed}, disqualified {result.Disqualified}, review {result.ManualReview}, suppressed {result.Suppressed}");
        var stored = await AllLeadsAsync(leads);
        Assert.Equal(result.Harvested - result.Duplicates, stored.Count);
        Assert.Equal(result.Contacted, stored.Count(l => l.Status == LeadStatus.Contacted));
        Assert.Equal(result.Routed, stored.Count(l => l.Status == LeadStatus.Routed));
        Assert.All(stored.Where(l => l.Status == LeadStatus.Routed), l => Assert.NotNull(l.Nurture?.NextStepDueAt));

        // Every score equals its ledger.
        Assert.All(stored.Where(l => l.Score is not null), l => Assert.Equal(Math.Clamp(l.Score!.Components.Sum(c => c.Contribution), 0, 1), l.Score.Value, 12));

        // No owner over capacity; full teams sent leads to manual review with the reason.
        var enterprise = stored.Where(l => l.Routing is { Team: "enterprise", IsAssigned: true }).GroupBy(l => l.Routing!.Owner).ToDictionary(g => g.Key!, g => g.Count());
        Assert.All(enterprise.Values, count => Assert.True(count <= EnterpriseCapacity));
        Assert.Contains(stored, l => l.Status == LeadStatus.ManualReview && l.Routing is { IsAssigned: false } r && r.Reason.Contains("at capacity", StringComparison.Ordinal));
        Assert.DoesNotContain(stored, l => l.Routing?.Owner == "sdr-3");

        // Days of nurture passes, with replies and unsubscribes arriving on the way.
        var stoppedLeads = new ConcurrentBag<Guid>();
        for (var pass = 0; pass < 7 * 24; pass++)
        {
            time.Advance(TimeSpan.FromHours(1));
            await nurture.ProcessDueAsync(Campaign);
            if (pass == 30)
            {
                foreach (var lead in (await AllLeadsAsync(leads)).Where(l => l.Status == LeadStatus.Contacted).Take(200))
                {
                    await nurture.StopAsync(lead.Id, lead.Id.GetHashCode() % 2 == 0 ? NurtureStopReason.Reply : NurtureStopReason.Unsubscribe);
                    stoppedLeads.Add(lead.Id);
                }
            }
        }

        var final = await AllLeadsAsync(leads);
        var byId = final.ToDictionary(l => l.Id);
        var sent = await AllSentAsync(provider.GetRequiredService<IEmailOutbox>());

        // No step sent twice, and every send the outbox recorded reached the sender exactly once.
        Assert.Empty(sender.DuplicateKeys);
        Assert.Equal(sender.Count, sent.Count);
        Assert.True(sent.Any(e => e.Key.Step == 3), "no sequence reached its last step");

        // No email outside its recipient's window (Mon-Fri 09:00-17:00 local), DST week included.
        foreach (var entry in sent)
        {
            var zone = TimeZoneInfo.FindSystemTimeZoneById(byId[entry.Key.LeadId].TimeZone ?? "UTC");
            var local = TimeZoneInfo.ConvertTime(entry.SentAt!.Value, zone);
            Assert.True(local.DayOfWeek is not DayOfWeek.Saturday and not DayOfWeek.Sunday && local.Hour is >= 9 and < 17, $"{entry.Key} sent at {local:O} local");
        }

        // No suppressed recipient emailed, including those who unsubscribed mid-sequence.
        Assert.DoesNotContain(sender.Sent, m => suppressed.Contains(m.To));
        foreach (var id in stoppedLeads)
        {
            Assert.Contains(byId[id].Status, new[] { LeadStatus.Replied, LeadStatus.Unsubscribed });
        }

        Assert.DoesNotContain(sent, e => stoppedLeads.Contains(e.Key.LeadId) && e.SentAt > new DateTimeOffset(2025, 3, 7, 13, 0, 0, TimeSpan.Zero).AddHours(31));

        // A second run of the same campaign sends nothing again.
        var before = sender.Count;
        var again = await pipeline.RunAsync(new PipelineRunRequest { CampaignId = Campaign });
        Assert.True(again.IsBalanced);
        Assert.Equal(again.Harvested, again.Duplicates + again.Disqualified); // candidates with no identity cannot be deduplicated
        Assert.Equal(0, again.Contacted + again.Routed);
        Assert.Equal(before, sender.Count);
        Assert.Empty(sender.DuplicateKeys);
    }

    private static async Task<List<Lead>> AllLeadsAsync(ILeadRepository repository)
    {
        var all = new List<Lead>();
        for (var skip = 0; ; skip += 1000)
        {
            var page = await repository.QueryAsync(new LeadQuery { CampaignId = Campaign, Skip = skip, Take = 1000 });
            all.AddRange(page);
            if (page.Count < 1000)
            {
                return all;
            }
        }
    }

    private static async Task<List<OutboxEntry>> AllSentAsync(IEmailOutbox outbox)
    {
        var all = new List<OutboxEntry>();
        for (var skip = 0; ; skip += 1000)
        {
            var page = await outbox.ListAsync(OutboxStatus.Sent, skip, 1000);
            all.AddRange(page);
            if (page.Count < 1000)
            {
                return all;
            }
        }
    }
}
