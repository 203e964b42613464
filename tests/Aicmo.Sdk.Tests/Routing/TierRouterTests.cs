using Aicmo.Sdk.Domain;
using Aicmo.Sdk.Tests.Support;
using Aicmo.Sdk.Routing;
using Aicmo.Sdk.Scoring;
using Microsoft.Extensions.Time.Testing;

namespace Aicmo.Sdk.Tests.Routing;

public sealed class TierRouterTests
{
    private static Lead Scored(double value, string grade = "B", Action<Lead>? configure = null) => TestLeads.Create(l =>
    {
        l.Score = new LeadScore(value, grade, []) { Scores = new Dictionary<string, double> { [ScoreNames.Intent] = value } };
        configure?.Invoke(l);
    });

    private static TierRouterOptions OneTeam(AssignmentStrategy strategy, params RoutingOwner[] owners)
    {
        var options = new TierRouterOptions { DefaultTeam = "sales", DefaultSequence = "intro" };
        var team = new RoutingTeam { Strategy = strategy };
        foreach (var owner in owners)
        {
            team.Owners.Add(owner);
        }

        options.Teams["sales"] = team;
        return options;
    }

    private static Dictionary<string, int> Distribute(TierRouter router, int leads, DateTimeOffset now)
    {
        var counts = new Dictionary<string, int>();
        for (var i = 0; i < leads; i++)
        {
            var owner = router.Route(Scored(0.6), now).Owner ?? "(none)";
            counts[owner] = counts.GetValueOrDefault(owner) + 1;
        }

        return counts;
    }

    [Fact]
    public void Route_FirstMatchingRuleWins_AndTheDecisionSaysWhy()
    {
        var options = new TierRouterOptions
        {
            DefaultTeam = "inbound",
            DefaultSequence = "nurture",
            Rules =
            {
                new RoutingRule { Name = "strategic-emea", Team = "enterprise", Sequence = "exec", MinScore = 0.7, Regions = { "EMEA" } },
                new RoutingRule { Name = "strategic", Team = "enterprise", Sequence = "enterprise", MinScore = 0.7 },
                new RoutingRule { Name = "big-companies", Team = "inbound", Sequence = "mid", MinCompanySize = 1000 },
            },
            Teams =
            {
                ["enterprise"] = new RoutingTeam { Owners = { new RoutingOwner { Name = "ae-1" } } },
                ["inbound"] = new RoutingTeam { Owners = { new RoutingOwner { Name = "sdr-1" } } },
            },
        };
        var router = new TierRouter(options);

        var german = router.Route(Scored(0.8, configure: l => l.Country = "DE"), TestLeads.Now);
        var american = router.Route(Scored(0.8), TestLeads.Now);
        var small = router.Route(Scored(0.3, configure: l => l.CompanySize = 20), TestLeads.Now);

        Assert.Equal(("strategic-emea", "enterprise", "exec", "ae-1"), (german.Rule, german.Team, german.Sequence, german.Owner));
        Assert.StartsWith("rule 'strategic-emea' matched: score 0.80 >= 0.70, region EMEA; owner ae-1 by round-robin", german.Reason, StringComparison.Ordinal);
        Assert.Equal("strategic", american.Rule);
        Assert.Equal(("default", "inbound", "nurture"), (small.Rule, small.Team, small.Sequence));
        Assert.StartsWith("no rule matched; default route", small.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Route_DefaultOptions_KeepTheBuiltInTiers()
    {
        var router = new TierRouter(new TierRouterOptions());

        Assert.Equal("enterprise", router.Route(Scored(0.9), TestLeads.Now).Team);
        Assert.Equal("growth", router.Route(Scored(0.6), TestLeads.Now).Team);
        Assert.Equal("nurture", router.Route(Scored(0.1), TestLeads.Now).Team);
    }

    [Theory]
    [InlineData(AssignmentStrategy.RoundRobin)]
    [InlineData(AssignmentStrategy.Weighted)]
    [InlineData(AssignmentStrategy.LeastLoaded)]
    public void Route_ThirtyLeadsOverThreeEqualOwners_GivesTenEach(AssignmentStrategy strategy)
    {
        var router = new TierRouter(OneTeam(strategy, new() { Name = "a" }, new() { Name = "b" }, new() { Name = "c" }));

        var counts = Distribute(router, 30, TestLeads.Now);

        Assert.Equal(new Dictionary<string, int> { ["a"] = 10, ["b"] = 10, ["c"] = 10 }, counts);
    }

    [Fact]
    public void Route_Weighted_FollowsTheWeightsInterleaved()
    {
        var router = new TierRouter(OneTeam(AssignmentStrategy.Weighted, new() { Name = "a", Weight = 3 }, new() { Name = "b", Weight = 1 }));

        var order = string.Join(",", Enumerable.Range(0, 8).Select(_ => router.Route(Scored(0.6), TestLeads.Now).Owner));

        Assert.Equal("a,a,b,a,a,a,b,a", order);
    }

    [Fact]
    public void Route_SameConfiguration_AssignsIdentically()
    {
        static string Run()
        {
            var router = new TierRouter(OneTeam(AssignmentStrategy.LeastLoaded, new() { Name = "a", DailyCapacity = 7 }, new() { Name = "b" }, new() { Name = "c", Weight = 2 }));
            return string.Join(",", Enumerable.Range(0, 50).Select(_ => router.Route(Scored(0.6), TestLeads.Now).Owner));
        }

        Assert.Equal(Run(), Run());
    }

    [Theory]
    [InlineData(AssignmentStrategy.RoundRobin)]
    [InlineData(AssignmentStrategy.Weighted)]
    [InlineData(AssignmentStrategy.LeastLoaded)]
    public void Route_CapacityOnARolling24Hours_IsNeverExceededAndFreesUp(AssignmentStrategy strategy)
    {
        var time = new FakeTimeProvider(TestLeads.Now);
        var router = new TierRouter(OneTeam(strategy, new() { Name = "a", DailyCapacity = 3 }, new() { Name = "b", DailyCapacity = 2, Weight = 5 }), time);

        var first = Distribute(router, 7, time.GetUtcNow());
        Assert.Equal(3, first["a"]);
        Assert.Equal(2, first["b"]);
        Assert.Equal(2, first["(none)"]);

        time.Advance(TimeSpan.FromHours(23));
        Assert.Null(router.Route(Scored(0.6)).Owner);

        time.Advance(TimeSpan.FromHours(1));
        var next = Distribute(router, 6, time.GetUtcNow());
        Assert.Equal(3, next["a"]);
        Assert.Equal(2, next["b"]);
    }

    [Fact]
    public void Route_EveryOwnerFull_DecidesWithoutOwnerAndSaysWhy()
    {
        var router = new TierRouter(OneTeam(AssignmentStrategy.RoundRobin, new() { Name = "a", DailyCapacity = 1 }, new() { Name = "b", Available = false }));
        router.Route(Scored(0.6), TestLeads.Now);

        var decision = router.Route(Scored(0.6), TestLeads.Now);

        Assert.False(decision.IsAssigned);
        Assert.Equal("sales", decision.Team);
        Assert.EndsWith("no owner assigned: every owner of team sales is unavailable or at capacity (a at capacity 1/1, b unavailable)", decision.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void RecordAssignment_EarlierAssignments_CountAgainstCapacity()
    {
        var router = new TierRouter(OneTeam(AssignmentStrategy.RoundRobin, new() { Name = "a", DailyCapacity = 2 }, new() { Name = "b", DailyCapacity = 2 }));
        router.RecordAssignment("sales", "a", TestLeads.Now.AddHours(-2));
        router.RecordAssignment("sales", "a", TestLeads.Now.AddHours(-25)); // outside the window

        var counts = Distribute(router, 4, TestLeads.Now);

        Assert.Equal(1, counts["a"]);
        Assert.Equal(2, counts["b"]);
        Assert.Equal(1, counts["(none)"]);
    }

    [Fact]
    public void Route_UnavailableOwners_AreSkipped()
    {
        var router = new TierRouter(OneTeam(AssignmentStrategy.RoundRobin, new() { Name = "a" }, new() { Name = "b" }, new() { Name = "c" }));
        router.SetAvailability("sales", "b", available: false);

        var counts = Distribute(router, 10, TestLeads.Now);

        Assert.False(counts.ContainsKey("b"));
        Assert.Equal(5, counts["a"]);
        Assert.Equal(5, counts["c"]);
    }

    [Fact]
    public async Task RouteAsync_ConcurrentWorkers_NeverExceedCapacity()
    {
        var router = new TierRouter(OneTeam(AssignmentStrategy.LeastLoaded, new() { Name = "a", DailyCapacity = 100 }, new() { Name = "b", DailyCapacity = 100 }, new() { Name = "c", DailyCapacity = 100 }));
        var context = TestLeads.Context(new FakeTimeProvider(TestLeads.Now));

        var decisions = await Task.WhenAll(Enumerable.Range(0, 400).Select(_ => Task.Run(async () => await router.RouteAsync(Scored(0.6), context, default))));

        Assert.Equal(300, decisions.Count(d => d.IsAssigned));
        Assert.All(decisions.Where(d => d.IsAssigned).GroupBy(d => d.Owner), g => Assert.Equal(100, g.Count()));
        Assert.All(router.GetLoads("sales", TestLeads.Now).Values, load => Assert.Equal(100, load));
    }

    [Fact]
    public void Constructor_RuleNamingAMissingTeam_FailsNamingTheOption()
    {
        var options = OneTeam(AssignmentStrategy.RoundRobin, new RoutingOwner { Name = "a", DailyCapacity = -1 });
        options.Rules.Add(new RoutingRule { Name = "x", Team = "ghosts", Sequence = "s" });

        var ex = Assert.Throws<ArgumentException>(() => new TierRouter(options));

        Assert.Contains("TierRouterOptions.Rules[0].Team must name a team", ex.Message, StringComparison.Ordinal);
        Assert.Contains("TierRouterOptions.Teams[\"sales\"].Owners[0].DailyCapacity cannot be negative", ex.Message, StringComparison.Ordinal);
    }
}
