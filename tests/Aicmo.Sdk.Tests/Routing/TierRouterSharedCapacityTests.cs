using Aicmo.Sdk.Domain;
using Aicmo.Sdk.Tests.Support;
using Aicmo.Sdk.Routing;
using Aicmo.Sdk.Scoring;
using Aicmo.Sdk.Stages;
using Aicmo.Sdk.Storage;
using Microsoft.Extensions.Time.Testing;

namespace Aicmo.Sdk.Tests.Routing;

public sealed class TierRouterSharedCapacityTests
{
    private static Lead Scored() => TestLeads.Create(l =>
        l.Score = new LeadScore(0.5, "B", []) { Scores = new Dictionary<string, double> { [ScoreNames.Intent] = 0.5 } });

    private static TierRouterOptions Team(AssignmentStrategy strategy)
    {
        var options = new TierRouterOptions { DefaultTeam = "sales", DefaultSequence = "intro" };
        var team = new RoutingTeam { Strategy = strategy };
        team.Owners.Add(new RoutingOwner { Name = "Alice", DailyCapacity = 3 });
        team.Owners.Add(new RoutingOwner { Name = "bob", DailyCapacity = 2 });
        options.Teams["sales"] = team;
        return options;
    }

    private static async Task<Dictionary<string, int>> RouteAsync(IReadOnlyList<TierRouter> routers, int leads, FakeTimeProvider time, bool dryRun = false)
    {
        var counts = new Dictionary<string, int>();
        for (var i = 0; i < leads; i++)
        {
            var context = new StageContext(Guid.NewGuid(), "campaign", StageNames.Route, time, dryRun) { WritesNothing = dryRun };
            var decision = await routers[i % routers.Count].RouteAsync(Scored(), context, CancellationToken.None);
            var owner = decision.Owner ?? "(nobody)";
            counts[owner] = counts.GetValueOrDefault(owner) + 1;
        }

        return counts;
    }

    [Theory]
    [InlineData(AssignmentStrategy.RoundRobin)]
    [InlineData(AssignmentStrategy.Weighted)]
    [InlineData(AssignmentStrategy.LeastLoaded)]
    public async Task RouteAsync_ThreeRoutersSharingCounters_TogetherAssignEachOwnerItsCapacityAndNoMore(AssignmentStrategy strategy)
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.Zero));
        var counters = new InMemoryLimitCounters();
        var routers = Enumerable.Range(0, 3).Select(_ => new TierRouter(Team(strategy), time, counters)).ToArray();

        var counts = await RouteAsync(routers, 30, time);

        Assert.Equal(3, counts["Alice"]);
        Assert.Equal(2, counts["bob"]);
        Assert.Equal(25, counts["(nobody)"]);
        Assert.Equal(3, await counters.CountAsync("routing/sales/alice", TimeSpan.FromHours(24), time.GetUtcNow()));
        Assert.Equal(2, await counters.CountAsync("routing/sales/bob", TimeSpan.FromHours(24), time.GetUtcNow()));
    }

    [Fact]
    public async Task RouteAsync_WithoutSharedCounters_EachRouterCountsAlone()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.Zero));
        var routers = Enumerable.Range(0, 3).Select(_ => new TierRouter(Team(AssignmentStrategy.RoundRobin), time)).ToArray();

        var counts = await RouteAsync(routers, 30, time);

        Assert.Equal(9, counts["Alice"]);
        Assert.Equal(6, counts["bob"]);
    }

    [Fact]
    public async Task RouteAsync_OwnerFullInAnotherProcess_TheLeadGoesToTheNextOwner_AndTheReasonSaysUntilWhen()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.Zero));
        var counters = new InMemoryLimitCounters();
        var elsewhere = new TierRouter(Team(AssignmentStrategy.RoundRobin), time, counters);
        var here = new TierRouter(Team(AssignmentStrategy.RoundRobin), time, counters);
        Assert.Equal(new Dictionary<string, int> { ["Alice"] = 3, ["bob"] = 2 }, await RouteAsync([elsewhere], 5, time));

        time.Advance(TimeSpan.FromHours(1));
        var context = new StageContext(Guid.NewGuid(), "campaign", StageNames.Route, time, dryRun: false);
        var decision = await here.RouteAsync(Scored(), context, CancellationToken.None);

        Assert.Null(decision.Owner);
        Assert.Contains("Alice at capacity across processes until 2026-03-03 09:00:00Z", decision.Reason, StringComparison.Ordinal);
        Assert.All(here.GetLoads("sales", time.GetUtcNow()).Values, load => Assert.Equal(0, load));

        // A day after the first assignments the window has room again, in every process.
        time.Advance(TimeSpan.FromHours(23));
        Assert.Equal("Alice", (await here.RouteAsync(Scored(), context, CancellationToken.None)).Owner);
    }

    [Fact]
    public async Task RouteAsync_DryRun_TakesNoSlotInTheCounters()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.Zero));
        var counters = new InMemoryLimitCounters();
        var router = new TierRouter(Team(AssignmentStrategy.RoundRobin), time, counters);

        await RouteAsync([router], 10, time, dryRun: true);

        Assert.Equal(0, await counters.CountAsync("routing/sales/alice", TimeSpan.FromHours(24), time.GetUtcNow()));
    }
}
