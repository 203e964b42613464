using Aicmo.Sdk.Enrichment;
using Aicmo.Sdk.Nurture;
using Aicmo.Sdk.Pipeline;
using Aicmo.Sdk.Qualification;
using Aicmo.Sdk.Routing;
using Aicmo.Sdk.Scoring;
using Aicmo.Sdk.Stages;
using Aicmo.Sdk.Templating.Handlebars;
using Aicmo.Sdk.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Aicmo.Sdk.Tests.DependencyInjection;

public sealed class AicmoPipelineConfigurationTests
{
    private static IConfiguration Configuration() =>
        new ConfigurationBuilder().AddJsonFile(Path.Combine(AppContext.BaseDirectory, "engines.json"), optional: false).Build();

    // The file's unsubscribe link holds {Token}; its secret comes from the host's secret store, never from the file.
    private static void BindWithSecret(IConfigurationSection section, AicmoPipelineOptions options)
    {
        section.Bind(options);
        options.Nurture.UnsubscribeTokenSecret = "a secret from the host's secret store, 32+ chars";
    }

    [Fact]
    public void AddAicmoPipeline_RegistersTheEnginesAsDefaults()
    {
        var services = new ServiceCollection();
        services.AddAicmoPipeline(o => o.DryRun = true).AddLeadSource(new SyntheticLeadSource(1));
        using var provider = services.BuildServiceProvider();

        Assert.IsType<RuleBasedScorer>(provider.GetRequiredService<ILeadScorer>());
        Assert.IsType<ThresholdQualifier>(provider.GetRequiredService<ILeadQualifier>());
        Assert.IsType<TierRouter>(provider.GetRequiredService<ILeadRouter>());
        Assert.IsType<EmailNurturer>(provider.GetRequiredService<ILeadNurturer>());
        Assert.IsType<WaterfallEnricher>(Assert.Single(provider.GetServices<ILeadEnricher>()));
        Assert.IsType<PlaceholderTemplateRenderer>(provider.GetRequiredService<ITemplateRenderer>());
        Assert.NotNull(provider.GetRequiredService<NurtureService>());
        Assert.NotNull(provider.GetRequiredService<ILeadPipeline>());
    }

    [Fact]
    public void UseHandlebarsTemplates_ReplacesTheRenderer()
    {
        var services = new ServiceCollection();
        services.AddAicmoPipeline().UseHandlebarsTemplates();
        using var provider = services.BuildServiceProvider();

        Assert.IsType<HandlebarsTemplateRenderer>(provider.GetRequiredService<ITemplateRenderer>());
    }

    [Fact]
    public void Options_BindFromJsonConfiguration()
    {
        var services = new ServiceCollection();
        var section = Configuration().GetSection("Aicmo");
        services.AddAicmoPipeline(o => BindWithSecret(section, o));
        using var provider = services.BuildServiceProvider();

        var o = provider.GetRequiredService<IOptions<AicmoPipelineOptions>>().Value;

        Assert.Equal(TimeSpan.FromHours(12), o.Enrichment.CacheTtl);
        Assert.Equal(["firmographics"], o.Enrichment.Fields["industry"].Providers);
        Assert.Equal("^\\+", o.Enrichment.Fields["phone"].Pattern);
        Assert.Equal(0.7, o.Scoring.ScoreWeights["fit"]);
        Assert.Equal(3, o.Scoring.Weights[ScoringSignals.TitleSeniority]);
        Assert.Equal(0, o.Scoring.Weights[ScoringSignals.PhonePresent]);
        Assert.Equal(1.0, o.Scoring.Weights[ScoringSignals.EmailValid]); // defaults not in the file are kept
        Assert.Contains("Fintech", o.Scoring.TargetIndustries);
        Assert.Equal(TimeSpan.FromDays(7), o.Scoring.IntentHalfLife);
        Assert.Equal("enterprise", Assert.Single(o.Scoring.AttributeRules).Value);
        Assert.Equal(RuleAction.ManualReview, o.Qualification.FreeMail);
        Assert.Equal(["email", "companyName"], o.Qualification.RequiredFields);
        Assert.Equal(0.1, o.Qualification.MinIntentScore);
        Assert.Equal(2, o.Routing.Rules.Count);
        Assert.Equal(AssignmentStrategy.LeastLoaded, o.Routing.Teams["enterprise"].Strategy);
        Assert.False(o.Routing.Teams["enterprise"].Owners[1].Available);
        Assert.Equal(2, o.Routing.Teams["inbound"].Owners[0].Weight);
        Assert.Equal([DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Thursday], o.Nurture.SendingWindow.Days);
        Assert.Equal(new TimeSpan(9, 30, 0), o.Nurture.SendingWindow.Start);
        Assert.Equal(TimeSpan.FromDays(3), o.Nurture.Sequences["exec"].Steps[1].Delay);
        Assert.Equal(400, o.Nurture.MaxPerMailboxPerDay);
    }

    [Fact]
    public void Pipeline_BoundFromJson_Starts()
    {
        var services = new ServiceCollection();
        var section = Configuration().GetSection("Aicmo");
        services.AddAicmoPipeline(o => BindWithSecret(section, o))
            .AddLeadSource(new SyntheticLeadSource(1))
            .AddEnrichmentProvider<NoOpProvider>()
            .AddEmailSender(new RecordingEmailSender())
            .UseHandlebarsTemplates();
        using var provider = services.BuildServiceProvider();

        Assert.NotNull(provider.GetRequiredService<ILeadPipeline>());
    }

    public static TheoryData<string, string> InvalidSettings => new()
    {
        { "Scoring:GradeA", "AicmoPipelineOptions.Scoring: grade cut-offs" },
        { "Qualification:MinScore", "AicmoPipelineOptions.Qualification.MinScore" },
        { "Routing:Teams:enterprise:Owners:0:DailyCapacity", "AicmoPipelineOptions.Routing.Teams[\"enterprise\"].Owners[0].DailyCapacity" },
        { "Nurture:SendingWindow:End", "AicmoPipelineOptions.Nurture.SendingWindow.Start and End" },
        { "Enrichment:BreakerFailureRatio", "AicmoPipelineOptions.Enrichment.BreakerFailureRatio" },
    };

    [Theory]
    [MemberData(nameof(InvalidSettings))]
    public void Options_InvalidValue_FailAtStartNamingTheOption(string key, string expected)
    {
        var bad = new Dictionary<string, string?>
        {
            ["Aicmo:" + key] = key.EndsWith("End", StringComparison.Ordinal) ? "08:00:00" : "-1",
        };
        var configuration = new ConfigurationBuilder().AddJsonFile(Path.Combine(AppContext.BaseDirectory, "engines.json")).AddInMemoryCollection(bad).Build();
        var services = new ServiceCollection();
        services.AddAicmoPipeline(o => configuration.GetSection("Aicmo").Bind(o)).AddLeadSource(new SyntheticLeadSource(1));
        using var provider = services.BuildServiceProvider();

        var ex = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<ILeadPipeline>());

        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Pipeline_MalformedTemplate_FailsAtStartNamingTheStep()
    {
        var services = new ServiceCollection();
        services.AddAicmoPipeline(o =>
            {
                o.DryRun = true;
                o.Nurture.Sequences["s"] = new NurtureSequence { Steps = { new NurtureStep { Subject = "Hi", Template = "{{#each}}" } } };
            })
            .AddLeadSource(new SyntheticLeadSource(1))
            .UseHandlebarsTemplates();
        using var provider = services.BuildServiceProvider();

        var ex = Assert.Throws<ArgumentException>(() => provider.GetRequiredService<ILeadPipeline>());

        Assert.Contains("EmailNurturerOptions.Sequences[\"s\"].Steps[0].Template", ex.Message, StringComparison.Ordinal);
    }

    private sealed class NoOpProvider : IEnrichmentProvider
    {
        public string Name => "firmographics";

        public ValueTask<IReadOnlyList<EnrichedValue>> LookupAsync(Aicmo.Sdk.Domain.Lead lead, IReadOnlyCollection<string> missingFields, CancellationToken cancellationToken) =>
            new([]);
    }
}
