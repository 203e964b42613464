using Aicmo.Sdk.Domain;
using Aicmo.Sdk.RabbitMQ.Tests.Support;
using Aicmo.Sdk.Testing.Contracts;

namespace Aicmo.Sdk.RabbitMQ.Tests.MultiProcess;

/// <summary>
/// A campaign's owner capacities (routing) and its mailbox send throttle, configured the same in four worker-sample processes
/// that work on one run: the limits are kept in the shared store, so together the processes route and send no more than one
/// process may.
/// </summary>
[SkipWithoutRabbitMqAndPostgreSql]
public sealed class MultiProcessLimitsTests
{
    private const int AliceCapacity = 40;
    private const int BobCapacity = 60;
    private const int MailboxPerHour = 70;

    [StoreFact]
    public async Task OneRunOnFourProcesses_OwnersGetTheirCapacityAndTheMailboxItsHourlyThrottle_AndNoMore()
    {
        await using var cluster = new SampleCluster(
            "--Aicmo:Pipeline:Routing:DefaultTeam=sales",
            "--Aicmo:Pipeline:Routing:Teams:sales:Strategy=RoundRobin",
            "--Aicmo:Pipeline:Routing:Teams:sales:Owners:0:Name=alice",
            $"--Aicmo:Pipeline:Routing:Teams:sales:Owners:0:DailyCapacity={AliceCapacity}",
            "--Aicmo:Pipeline:Routing:Teams:sales:Owners:1:Name=bob",
            $"--Aicmo:Pipeline:Routing:Teams:sales:Owners:1:DailyCapacity={BobCapacity}",
            $"--Aicmo:Pipeline:Nurture:MaxPerMailboxPerHour={MailboxPerHour}");
        await Task.WhenAll(cluster.StartWorkerAsync("w1"), cluster.StartWorkerAsync("w2"), cluster.StartWorkerAsync("w3"));
        var starter = cluster.StartRuns("starter", leads: 2000, campaign: "limits");

        Assert.True(await starter.WaitForExitAsync(TimeSpan.FromMinutes(5)) == 0, starter.Describe());
        var run = RunLine.Parse(starter.Lines.Single(RunLine.IsDone));
        var leads = await CampaignCheck.VerifyRunAsync(cluster, "limits", run);

        // More leads were routed than the owners have room for: each owner got exactly its capacity.
        var routed = leads.Where(l => l.Routing is not null).ToList();
        Assert.True(routed.Count > AliceCapacity + BobCapacity, $"only {routed.Count} leads were routed; the capacities were not put to the test");
        Assert.Equal(AliceCapacity, routed.Count(l => l.Routing!.Owner == "alice"));
        Assert.Equal(BobCapacity, routed.Count(l => l.Routing!.Owner == "bob"));

        // More leads were due a first email than the mailbox may send in an hour: exactly that many went out, counted at the
        // senders of every process, and the rest wait for the next window.
        await CampaignCheck.VerifySendsAsync(cluster, leads);
        var sends = cluster.ReadSends();
        Assert.Equal(MailboxPerHour, sends.Count);
        Assert.Equal(MailboxPerHour, leads.Count(l => l.Status == LeadStatus.Contacted));
        var senders = new[] { "starter", "w1", "w2", "w3" }.Where(p => cluster.ReadSends(p).Count > 0).ToList();
        MultiProcessRunTests.Report($"{nameof(OneRunOnFourProcesses_OwnersGetTheirCapacityAndTheMailboxItsHourlyThrottle_AndNoMore)}: routed={routed.Count} " +
            $"alice={AliceCapacity} bob={BobCapacity} sends={sends.Count} processes-that-sent={string.Join(',', senders)}");
        Assert.True(senders.Count >= 2, $"only {string.Join(", ", senders)} sent: the throttle was not shared by several processes");
    }
}
