using Aicmo.Sdk.Domain;
using Aicmo.Sdk.Nurture;
using Aicmo.Sdk.Pipeline;
using Aicmo.Sdk.Stages;
using Aicmo.Sdk.Storage;
using Aicmo.Sdk.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Aicmo.Sdk.Tests.DependencyInjection;

public class AicmoServiceCollectionExtensionsTests
{
    private static ServiceProvider Build(Action<AicmoPipelineOptions>? configure = null, Action<IAicmoPipelineBuilder>? build = null)
    {
        var services = new ServiceCollection();
        var builder = services.AddAicmoPipeline(configure).AddLeadSource(new SyntheticLeadSource(10));
        (build ?? (b => b.AddEmailSender(new RecordingEmailSender())))(builder);
        return services.BuildServiceProvider();
    }

    [Fact]
    public void AddAicmoPipeline_ReturnsBuilderWithNameAndServices()
    {
        var services = new ServiceCollection();
        var builder = services.AddAicmoPipeline();
        Assert.Same(services, builder.Services);
    }

    [Fact]
    public void AddAicmoPipeline_Twice_Throws()
    {
        var services = new ServiceCollection();
        services.AddAicmoPipeline();
        var ex = Assert.Throws<InvalidOperationException>(() => services.AddAicmoPipeline());
        Assert.Contains("twice", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddAicmoPipeline_RegistersDefaultsAndInMemoryStores()
    {
        using var sp = Build();
        Assert.IsType<InMemoryLeadRepository>(sp.GetRequiredService<ILeadRepository>());
        Assert.IsType<InMemoryAuditLog>(sp.GetRequiredService<IAuditLog>());
        Assert.IsType<InMemoryEmailOutbox>(sp.GetRequiredService<IEmailOutbox>());
        Assert.IsType<InMemorySuppressionList>(sp.GetRequiredService<ISuppressionList>());
        Assert.IsType<InMemoryRunRepository>(sp.GetRequiredService<IRunRepository>());
        Assert.IsType<InMemoryCampaignRepository>(sp.GetRequiredService<ICampaignRepository>());
        Assert.Same(TimeProvider.System, sp.GetRequiredService<TimeProvider>());
        Assert.NotNull(sp.GetRequiredService<ILeadPipeline>());
    }

    public static TheoryData<string, Action<AicmoPipelineOptions>> InvalidOptions => new()
    {
        { "AicmoPipelineOptions.ChannelCapacity", o => o.ChannelCapacity = 0 },
        { "AicmoPipelineOptions.BatchSize", o => o.BatchSize = 0 },
        { "AicmoPipelineOptions.BatchSize", o => o.BatchSize = 4097 },
        { "AicmoPipelineOptions.DegreeOfParallelism", o => o.DegreeOfParallelism = -1 },
        { "AicmoPipelineOptions.StageParallelism[\"enrich\"]", o => o.StageParallelism["enrich"] = 0 },
        { "AicmoPipelineOptions.StageTimeout", o => o.StageTimeout = TimeSpan.Zero },
        { "AicmoPipelineOptions.StageTimeouts[\"score\"]", o => o.StageTimeouts["score"] = TimeSpan.FromSeconds(-1) },
        { "AicmoPipelineOptions.Retry.MaxRetryAttempts", o => o.Retry.MaxRetryAttempts = -2 },
        { "AicmoPipelineOptions.Retry.MaxDelay", o => o.Retry.MaxDelay = TimeSpan.Zero },
        { "AicmoPipelineOptions.ProgressInterval", o => o.ProgressInterval = TimeSpan.Zero },
        { "AicmoPipelineOptions.Scoring.Weights[\"title.seniority\"]", o => o.Scoring.Weights["title.seniority"] = double.NaN },
        { "AicmoPipelineOptions.Scoring: grade cut-offs", o => o.Scoring.GradeB = 0.9 },
        { "AicmoPipelineOptions.Qualification.MinScore", o => o.Qualification.MinScore = 1.5 },
        { "AicmoPipelineOptions.Routing.DefaultTeam", o => o.Routing.DefaultTeam = " " },
        { "AicmoPipelineOptions.Nurture.FromAddress", o => o.Nurture.FromAddress = "not an address" },
        { "AicmoPipelineOptions.Nurture.FromName", o => o.Nurture.FromName = "Sales\r\nBcc: x@y.z" },
        { "AicmoPipelineOptions.Nurture.UnsubscribeUrlTemplate", o => o.Nurture.UnsubscribeUrlTemplate = "unsubscribe" },
    };

    [Theory]
    [MemberData(nameof(InvalidOptions))]
    public void ResolvePipeline_InvalidOption_FailsWithMessageNamingIt(string option, Action<AicmoPipelineOptions> breakIt)
    {
        using var sp = Build(breakIt);
        var ex = Assert.Throws<OptionsValidationException>(() => sp.GetRequiredService<ILeadPipeline>());
        Assert.Contains(option, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ResolvePipeline_NoEmailSenderAndNotDryRun_FailsWithHowToFix()
    {
        using var sp = Build(build: _ => { });
        var ex = Assert.Throws<InvalidOperationException>(() => sp.GetRequiredService<ILeadPipeline>());
        Assert.Contains("AddEmailSender", ex.Message, StringComparison.Ordinal);
        Assert.Contains("DryRun", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ResolvePipeline_NoSource_FailsWithHowToFix()
    {
        var services = new ServiceCollection();
        services.AddAicmoPipeline(o => o.DryRun = true);
        using var sp = services.BuildServiceProvider();
        var ex = Assert.Throws<InvalidOperationException>(() => sp.GetRequiredService<ILeadPipeline>());
        Assert.Contains("AddLeadSource", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ResolvePipeline_CustomStageAfterUnknownStage_FailsNamingTheStages()
    {
        using var sp = Build(build: b => b.AddEmailSender(new RecordingEmailSender()).AddStage(new ProbeStage("x", (_, _) => default), "nowhere"));
        var ex = Assert.Throws<InvalidOperationException>(() => sp.GetRequiredService<ILeadPipeline>());
        Assert.Contains("nowhere", ex.Message, StringComparison.Ordinal);
        Assert.Contains("score", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AddStage_InsertsCustomStagesWhereAsked()
    {
        using var sp = Build(build: b => b
            .AddEmailSender(new RecordingEmailSender())
            .AddStage(new ProbeStage("after-route", (_, _) => ValueTask.FromResult(StageResult.Continue())), StageNames.Route)
            .AddStage<TagStage>(StageNames.Enrich));

        var result = await sp.GetRequiredService<ILeadPipeline>().RunAsync(new PipelineRunRequest { CampaignId = "order" });

        Assert.Equal(
            ["harvest", "dedup", "enrich", "tag", "score", "qualify", "route", "after-route", "nurture"],
            result.Stages.Select(s => s.Name).ToArray());
    }

    [Fact]
    public async Task UseScorerAndUseTimeProvider_ReplaceDefaults()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero));
        using var sp = Build(build: b => b.AddEmailSender(new RecordingEmailSender()).UseScorer<ConstantScorer>().UseTimeProvider(clock));

        var result = await sp.GetRequiredService<ILeadPipeline>().RunAsync(new PipelineRunRequest { CampaignId = "swap" });

        Assert.Equal(clock.GetUtcNow(), result.StartedAt);
        var leads = await sp.GetRequiredService<ILeadRepository>().QueryAsync(new LeadQuery { CampaignId = "swap" });
        Assert.All(leads.Where(l => l.Score is not null), l => Assert.Equal("custom", l.Score!.Components[0].Signal));
        Assert.All(leads, l => Assert.Equal(clock.GetUtcNow(), l.CreatedAt));
    }

    private sealed class TagStage : ILeadStage
    {
        public string Name => "tag";

        public ValueTask<StageResult> ExecuteAsync(Lead lead, StageContext context, CancellationToken cancellationToken)
        {
            lead.Attributes["tagged"] = "yes";
            return ValueTask.FromResult(StageResult.Continue());
        }
    }

    private sealed class ConstantScorer : ILeadScorer
    {
        public ValueTask<LeadScore> ScoreAsync(Lead lead, StageContext context, CancellationToken cancellationToken) =>
            ValueTask.FromResult(new LeadScore(0.9, "A", [new ScoreComponent("custom", 1, 0.9, 0.9, "host's own model")]));
    }
}
