using System.Runtime.CompilerServices;
using Aicmo.Sdk.Domain;
using Aicmo.Sdk.Enrichment;
using Aicmo.Sdk.Nurture;
using Aicmo.Sdk.Pipeline;
using Aicmo.Sdk.Qualification;
using Aicmo.Sdk.Routing;
using Aicmo.Sdk.Scoring;
using Aicmo.Sdk.Storage.Tests;
using Aicmo.Sdk.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Aicmo.Sdk.Tests.Docs;

/// <summary>
/// The configuration examples of docs/engines.md, compiled and run. Each <c>// doc:name</c> region must appear verbatim as a
/// C# block in the page; <see cref="DocsPage_ShowsEveryExampleVerbatim"/> fails when the two drift apart.
/// </summary>
public sealed class EngineDocsExamplesTests
{
    private sealed class ClearbitLikeProvider : IEnrichmentProvider
    {
        public string Name => "vendor-a";

        public ValueTask<IReadOnlyList<EnrichedValue>> LookupAsync(Lead lead, IReadOnlyCollection<string> missingFields, CancellationToken cancellationToken) => new([]);
    }

    private sealed class InternalCrmProvider : IEnrichmentProvider
    {
        public string Name => "crm";

        public ValueTask<IReadOnlyList<EnrichedValue>> LookupAsync(Lead lead, IReadOnlyCollection<string> missingFields, CancellationToken cancellationToken) => new([]);
    }

    private static AicmoPipelineOptions Resolve(IServiceCollection services)
    {
        services.AddSingleton<Aicmo.Sdk.Stages.ILeadSource>(new SyntheticLeadSource(1));
        if (!services.Any(d => d.ServiceType == typeof(IEmailSender)))
        {
            services.AddSingleton<IEmailSender>(new RecordingEmailSender());
        }

        using var provider = services.BuildServiceProvider();
        Assert.NotNull(provider.GetRequiredService<ILeadPipeline>());
        return provider.GetRequiredService<IOptions<AicmoPipelineOptions>>().Value;
    }

    [Fact]
    public void Scoring()
    {
        var services = new ServiceCollection();
        // doc:scoring
        services.AddAicmoPipeline(o =>
        {
            o.Scoring.ScoreWeights["fit"] = 0.7;                      // fit and intent shares of the combined score
            o.Scoring.ScoreWeights["intent"] = 0.3;
            o.Scoring.Weights[ScoringSignals.TitleSeniority] = 3;     // count seniority more
            o.Scoring.Weights[ScoringSignals.PhonePresent] = 0;       // switch a signal off
            o.Scoring.Weights[ScoringSignals.EmailBusiness] = -0.5;   // or make it a penalty
            o.Scoring.TargetIndustries.Add("Software");
            o.Scoring.TargetRegions.Add("EMEA");
            o.Scoring.IntentHalfLife = TimeSpan.FromDays(7);          // a week-old visit counts half
            o.Scoring.AttributeRules.Add(new AttributeRule { Signal = "attr.plan", Attribute = "plan", Value = "enterprise", Weight = 2 });
            o.Scoring.GradeA = 0.8;
            o.Scoring.GradeB = 0.6;
            o.Scoring.GradeC = 0.3;
        });
        // end

        Assert.Equal(0.8, Resolve(services).Scoring.GradeA);
    }

    [Fact]
    public void Qualification()
    {
        var services = new ServiceCollection();
        // doc:qualification
        services.AddAicmoPipeline(o =>
        {
            o.Qualification.MinScore = 0.5;
            o.Qualification.ManualReviewBand = 0.05;                  // 0.45-0.55 goes to a person
            o.Qualification.FreeMail = RuleAction.ManualReview;
            o.Qualification.RoleAccounts = RuleAction.Disqualify;
            o.Qualification.DisposableDomains = RuleAction.Disqualify;
            o.Qualification.AdditionalDisposableDomains.Add("burner.example");
            o.Qualification.RequiredFields.Add("companyName");
            o.Qualification.CompetitorDomains.Add("rival.example");
            o.Qualification.CustomerDomains.Add("loyal-customer.example");
            o.Qualification.ExcludedCountries.Add("KP");
            o.Qualification.MinIntentScore = 0.2;
            o.Qualification.LowIntent = RuleAction.ManualReview;
        });
        // end

        Assert.Equal(0.5, Resolve(services).Qualification.MinScore);
    }

    [Fact]
    public void Routing()
    {
        var services = new ServiceCollection();
        // doc:routing
        services.AddAicmoPipeline(o =>
        {
            o.Routing.Rules.Add(new RoutingRule { Name = "strategic-emea", MinScore = 0.7, Regions = { "EMEA" }, Team = "enterprise", Sequence = "exec" });
            o.Routing.Rules.Add(new RoutingRule { Name = "strategic", MinScore = 0.7, Team = "enterprise", Sequence = "enterprise" });
            o.Routing.Teams["enterprise"] = new RoutingTeam
            {
                Strategy = AssignmentStrategy.LeastLoaded,
                Owners =
                {
                    new RoutingOwner { Name = "ae-1", DailyCapacity = 40 },
                    new RoutingOwner { Name = "ae-2", DailyCapacity = 40, Available = false },   // out of office
                },
            };
            o.Routing.Teams["inbound"] = new RoutingTeam
            {
                Strategy = AssignmentStrategy.Weighted,
                Owners = { new RoutingOwner { Name = "sdr-1", Weight = 2 }, new RoutingOwner { Name = "sdr-2" } },
            };
            o.Routing.DefaultTeam = "inbound";                        // when no rule matches
            o.Routing.DefaultSequence = "inbound";
        });
        // end

        Assert.Equal(2, Resolve(services).Routing.Rules.Count);
    }

    [Fact]
    public async Task Nurture()
    {
        var services = new ServiceCollection();
        var leadId = Guid.NewGuid();
        var unsubscribeSecret = "a secret of at least 32 characters from the host's secret store";
        // doc:nurture
        services.AddAicmoPipeline(o =>
        {
            o.Nurture.FromAddress = "hello@acme.example";
            o.Nurture.UnsubscribeUrlTemplate = "https://acme.example/api/v1/unsubscribe?token={Token}"; // a signed token, not the lead id
            o.Nurture.UnsubscribeTokenSecret = unsubscribeSecret;     // at least 32 characters, from your secret store
            o.Nurture.Sequences["exec"] = new NurtureSequence
            {
                Steps =
                {
                    new NurtureStep { Subject = "{{FirstName}}, a note for {{CompanyName}}", Template = "{{#if Title}}As {{Title}}, you{{else}}You{{/if}} ..." },
                    new NurtureStep { Delay = TimeSpan.FromDays(3), Subject = "Re: {{CompanyName}}", Template = "Hi {{default FirstName \"there\"}}, following up." },
                },
            };
            o.Nurture.Fallbacks["CompanyName"] = "your team";
            o.Nurture.SendingWindow.Enabled = true;                   // Mon-Fri 09:00-17:00 in the recipient's time zone
            o.Nurture.SendingWindow.Start = TimeSpan.FromHours(9);
            o.Nurture.SendingWindow.End = TimeSpan.FromHours(17);
            o.Nurture.MaxPerMailboxPerHour = 50;                      // throttled sends are postponed, never failed
            o.Nurture.MaxPerMailboxPerDay = 400;
            o.Nurture.MaxPerRecipientDomainPerDay = 5;
        })
        .AddEmailSender(new RecordingEmailSender())                   // your transport
        .UseHandlebarsTemplates();                                    // from Aicmo.Sdk.Templating.Handlebars

        await using var provider = services.AddSingleton<Aicmo.Sdk.Stages.ILeadSource>(new SyntheticLeadSource(1)).BuildServiceProvider();
        var nurture = provider.GetRequiredService<NurtureService>();
        await nurture.ProcessDueAsync("q4-enterprise");                // on a schedule: sends every step that has fallen due
        await nurture.StopAsync(leadId, NurtureStopReason.Reply);      // from your inbound-mail webhook
        // end

        Assert.NotNull(provider.GetRequiredService<ILeadPipeline>());
    }

    [Fact]
    public void Enrichment()
    {
        var services = new ServiceCollection();
        // doc:enrichment
        services.AddAicmoPipeline(o =>
        {
            o.Enrichment.Fields["industry"] = new FieldWaterfall { Providers = { "crm", "vendor-a" }, MinConfidence = 0.6 };
            o.Enrichment.Fields["phone"] = new FieldWaterfall { Providers = { "vendor-a" }, Pattern = @"^\+" };
            o.Enrichment.CacheTtl = TimeSpan.FromHours(24);
            o.Enrichment.MaxProviderCallsPerRun = 5_000;
            o.Enrichment.ProviderTimeout = TimeSpan.FromSeconds(3);
            o.Enrichment.BreakerBreakDuration = TimeSpan.FromMinutes(1);  // leave a failing vendor alone for a minute
        })
        .AddEnrichmentProvider<InternalCrmProvider>()
        .AddEnrichmentProvider<ClearbitLikeProvider>();
        // end

        Assert.Equal(5_000, Resolve(services).Enrichment.MaxProviderCallsPerRun);
    }

    [Fact]
    public void Configuration()
    {
        var services = new ServiceCollection();
        var configuration = new ConfigurationBuilder().AddJsonFile(Path.Combine(AppContext.BaseDirectory, "engines.json"))
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Aicmo:Nurture:UnsubscribeTokenSecret"] = new string('k', 32) }) // the host's secret store
            .Build();
        // doc:configuration
        services.AddAicmoPipeline(o => configuration.GetSection("Aicmo").Bind(o))
            .AddEnrichmentProvider<FirmographicsProvider>()
            .AddEmailSender(new RecordingEmailSender())
            .UseHandlebarsTemplates();
        // end

        Assert.Equal("hello@acme.example", Resolve(services).Nurture.FromAddress);
    }

    [Fact]
    public void DocsPage_ShowsEveryExampleVerbatim() =>
        DocExamples.AssertPageShowsEveryExample(ThisFile(), "engines.md", 6);

    private static string ThisFile([CallerFilePath] string path = "") => path;

    private sealed class FirmographicsProvider : IEnrichmentProvider
    {
        public string Name => "firmographics";

        public ValueTask<IReadOnlyList<EnrichedValue>> LookupAsync(Lead lead, IReadOnlyCollection<string> missingFields, CancellationToken cancellationToken) => new([]);
    }
}
