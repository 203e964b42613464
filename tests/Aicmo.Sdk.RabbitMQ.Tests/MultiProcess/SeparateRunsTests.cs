using Aicmo.Sdk.RabbitMQ.Tests.Support;
using Aicmo.Sdk.Testing.Contracts;

namespace Aicmo.Sdk.RabbitMQ.Tests.MultiProcess;

/// <summary>Worker-sample processes each running a run of their own, side by side, each on its own schema and queues.</summary>
[SkipWithoutRabbitMqAndPostgreSql]
public sealed class SeparateRunsTests
{
    [StoreFact]
    public async Task ThreeProcessesEachStartingARun_EveryRunCompletesBalancedWithEveryLeadOnceAndNoKeySentTwice()
    {
        var clusters = Enumerable.Range(0, 3).Select(_ => new SampleCluster()).ToList();
        try
        {
            var starters = clusters.Select((c, i) => c.StartRuns("starter" + i, leads: 1000, campaign: "sep" + i)).ToList();
            for (var i = 0; i < clusters.Count; i++)
            {
                Assert.Equal(0, await starters[i].WaitForExitAsync(TimeSpan.FromMinutes(3)));
                var run = RunLine.Parse(starters[i].Lines.Single(RunLine.IsDone));
                var leads = await CampaignCheck.VerifyRunAsync(clusters[i], "sep" + i, run);
                Assert.True(run.Contacted > 0, "no lead was contacted");
                Assert.Equal(0, await CampaignCheck.VerifySendsAsync(clusters[i], leads));
            }
        }
        finally
        {
            foreach (var cluster in clusters)
            {
                await cluster.DisposeAsync();
            }
        }
    }
}
