using System.Globalization;
using Aicmo.Sdk.Domain;
using Aicmo.Sdk.Pipeline;
using Aicmo.Sdk.RabbitMQ.Tests.Support;
using Aicmo.Sdk.Stages;
using Aicmo.Sdk.Storage;
using Aicmo.Sdk.Testing.Contracts;
using Microsoft.Extensions.DependencyInjection;

namespace Aicmo.Sdk.RabbitMQ.Tests.Pipeline;

/// <summary>
/// Whole runs whose batches move between the stages through the real broker, on the real PostgreSQL server: the leads travel as
/// ids and are read back from the store. <c>AICMO_RABBITMQ_PIPELINE_LEADS</c> sets the number of candidates (default 3,000).
/// </summary>
[SkipWithoutRabbitMq]
public sealed class RabbitMqPipelineTests
{
    private static int Leads =>
        int.TryParse(Environment.GetEnvironmentVariable("AICMO_RABBITMQ_PIPELINE_LEADS"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n : 3_000;

    [StoreFact]
    public async Task Run_ThroughTheBroker_EveryLeadEndsOnceNoKeyIsSentTwiceAndTheRunBalances()
    {
        await using var pipeline = new PipelineOverBroker(Leads);
        var campaign = "mq-" + Guid.NewGuid().ToString("N")[..8];

        var result = await pipeline.Pipeline.RunAsync(new PipelineRunRequest { CampaignId = campaign });

        Assert.Equal(PipelineRunStatus.Completed, result.Status);
        Assert.Equal(Leads, result.Harvested);
        Assert.Equal(0, result.Pending);
        Assert.True(result.Contacted > 0, "no lead reached nurture");
        foreach (var stage in (string[])[StageNames.Enrich, StageNames.Score, StageNames.Qualify, StageNames.Route, StageNames.Nurture])
        {
            Assert.True(pipeline.Published.GetValueOrDefault(stage) > 0, $"no batch went through the broker to {stage}");
        }

        await pipeline.VerifyAsync(campaign, result);
    }

    [StoreFact]
    public async Task Run_StageThatAlwaysThrowsForOneLead_ThatLeadIsQuarantinedWithTheReasonAndTheOthersFlow()
    {
        var flaky = new ThrowsForOneLeadStage();
        await using var pipeline = new PipelineOverBroker(Leads / 3, b => b.AddStage(flaky, runsAfter: StageNames.Enrich));
        var campaign = "mq-" + Guid.NewGuid().ToString("N")[..8];

        var result = await pipeline.Pipeline.RunAsync(new PipelineRunRequest { CampaignId = campaign });

        // A quarantined lead makes the run complete with errors; it is not a failure of the run.
        Assert.Equal(PipelineRunStatus.CompletedWithErrors, result.Status);
        Assert.True(result.Quarantined >= 1, "the lead the stage failed was not quarantined");
        Assert.True(pipeline.Published.GetValueOrDefault(flaky.Name) > 0, "no batch went through the broker to the custom stage");
        var victim = await pipeline.Services.GetRequiredService<ILeadRepository>().GetAsync(flaky.Victim!.Value);
        Assert.Equal(LeadStatus.Quarantined, victim!.Status);
        Assert.Equal(flaky.Name, victim.Fault?.Stage);
        Assert.Contains("always fails for this lead", victim.Fault?.Message, StringComparison.Ordinal);
        Assert.True(result.Contacted > 0, "the other leads did not flow on");
        await pipeline.VerifyAsync(campaign, result);
    }

    [StoreFact]
    public async Task Run_BrokerRestartedMidRun_CompletesWithEveryLeadOnceAndNoKeySentTwice()
    {
        await using var pipeline = new PipelineOverBroker(Leads, b => b.Services.Configure<AicmoPipelineOptions>(o => o.BatchSize = 50));
        var campaign = "mq-" + Guid.NewGuid().ToString("N")[..8];

        var run = pipeline.Pipeline.Start(new PipelineRunRequest { CampaignId = campaign });
        while (!run.Completion.IsCompleted && run.Progress.Stages.Sum(s => s.Finished) < Leads / 4)
        {
            await Task.Delay(10);
        }

        Assert.False(run.Completion.IsCompleted, "the run ended before the broker could be restarted; raise AICMO_RABBITMQ_PIPELINE_LEADS");
        await RabbitMqTestBroker.ControlAsync("stop_app");
        await Task.Delay(TimeSpan.FromSeconds(2));
        await RabbitMqTestBroker.ControlAsync("start_app");
        var result = await run.Completion.WaitAsync(TimeSpan.FromMinutes(3));

        Assert.True(result.Status == PipelineRunStatus.Completed, $"{result.Status}: {string.Join("; ", result.Errors.Select(e => $"{e.Stage} {e.ErrorType} {e.Message}"))}");
        Assert.True(result.Pending == 0, $"{result.Pending} leads pending: {result}");
        await pipeline.VerifyAsync(campaign, result);
    }

    /// <summary>A custom stage that throws for the first lead it sees, every time it sees it.</summary>
    private sealed class ThrowsForOneLeadStage : ILeadStage
    {
        private Guid? _victim;

        public string Name => "flaky";

        public Guid? Victim => _victim;

        public ValueTask<StageResult> ExecuteAsync(Lead lead, StageContext context, CancellationToken cancellationToken)
        {
            lock (this)
            {
                _victim ??= lead.Id;
            }

            return lead.Id == _victim
                ? throw new InvalidOperationException("The stage always fails for this lead.")
                : ValueTask.FromResult(StageResult.Continue());
        }
    }
}
