using Aicmo.Sdk.Domain;
using Aicmo.Sdk.Tests.Support;
using Aicmo.Sdk.Routing;

namespace Aicmo.Sdk.Tests.Routing;

public sealed class TierRouterPropertyTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    public void Route_RandomTeamsAndTraffic_NeverExceedCapacityNorPickUnavailableOwners(int seed)
    {
        var random = new Random(seed);
        var owners = Enumerable.Range(0, random.Next(1, 6)).Select(i => new RoutingOwner
        {
            Name = "o" + i,
            Weight = random.Next(1, 5),
            DailyCapacity = random.Next(0, 4) == 0 ? 0 : random.Next(1, 30),
            Available = random.Next(5) != 0,
        }).ToList();
        var strategy = (AssignmentStrategy)random.Next(3);
        var options = new TierRouterOptions { DefaultTeam = "t", DefaultSequence = "s" };
        options.Teams["t"] = new RoutingTeam { Strategy = strategy };
        foreach (var owner in owners)
        {
            options.Teams["t"].Owners.Add(owner);
        }

        var router = new TierRouter(options);
        var now = TestLeads.Now;
        var assignments = new List<(DateTimeOffset At, string Owner)>();
        for (var i = 0; i < 2_000; i++)
        {
            now += TimeSpan.FromMinutes(random.Next(0, 20));
            var decision = router.Route(TestLeads.Create(l => l.Score = new LeadScore(0.5, "B", [])), now);
            if (decision.Owner is { } owner)
            {
                assignments.Add((now, owner));
                var options1 = owners.Single(o => o.Name == owner);
                Assert.True(options1.Available, $"unavailable owner {owner} was assigned");
                if (options1.DailyCapacity > 0)
                {
                    var inWindow = assignments.Count(a => a.Owner == owner && a.At > now - TimeSpan.FromHours(24));
                    Assert.True(inWindow <= options1.DailyCapacity, $"{owner} holds {inWindow} > {options1.DailyCapacity} ({strategy})");
                }
            }
            else
            {
                // No owner only when nobody available had room.
                Assert.All(owners.Where(o => o.Available && o.DailyCapacity == 0), _ => Assert.Fail("an unlimited owner was available"));
                Assert.Contains("no owner assigned", decision.Reason, StringComparison.Ordinal);
            }
        }
    }
}
