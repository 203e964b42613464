using Aicmo.Sdk.Domain;

namespace Aicmo.Sdk.Tests.Domain;

public class LeadStateMachineTests
{
    public static TheoryData<LeadStatus, LeadStatus> LegalTransitions => new()
    {
        { LeadStatus.New, LeadStatus.Enriched },
        { LeadStatus.New, LeadStatus.Scored },
        { LeadStatus.New, LeadStatus.Disqualified },
        { LeadStatus.Enriched, LeadStatus.Scored },
        { LeadStatus.Scored, LeadStatus.Qualified },
        { LeadStatus.Scored, LeadStatus.Disqualified },
        { LeadStatus.Scored, LeadStatus.ManualReview },
        { LeadStatus.Qualified, LeadStatus.Routed },
        { LeadStatus.Qualified, LeadStatus.ManualReview },
        { LeadStatus.ManualReview, LeadStatus.Qualified },
        { LeadStatus.ManualReview, LeadStatus.Disqualified },
        { LeadStatus.Routed, LeadStatus.Contacted },
        { LeadStatus.Routed, LeadStatus.Unsubscribed },
        { LeadStatus.Contacted, LeadStatus.Replied },
        { LeadStatus.Contacted, LeadStatus.Bounced },
        { LeadStatus.Replied, LeadStatus.Converted },
        { LeadStatus.Contacted, LeadStatus.Quarantined },
        { LeadStatus.Enriched, LeadStatus.Quarantined },
        { LeadStatus.Quarantined, LeadStatus.New },
    };

    public static TheoryData<LeadStatus, LeadStatus> IllegalTransitions => new()
    {
        { LeadStatus.New, LeadStatus.Contacted },
        { LeadStatus.New, LeadStatus.Routed },
        { LeadStatus.New, LeadStatus.New },
        { LeadStatus.Enriched, LeadStatus.Qualified },
        { LeadStatus.Scored, LeadStatus.Routed },
        { LeadStatus.Disqualified, LeadStatus.Qualified },
        { LeadStatus.Disqualified, LeadStatus.Routed },
        { LeadStatus.Contacted, LeadStatus.Routed },
        { LeadStatus.Converted, LeadStatus.Contacted },
        { LeadStatus.Unsubscribed, LeadStatus.Contacted },
        { LeadStatus.Bounced, LeadStatus.Replied },
        { LeadStatus.Quarantined, LeadStatus.Quarantined },
        { LeadStatus.Quarantined, LeadStatus.Routed },
    };

    [Theory]
    [MemberData(nameof(LegalTransitions))]
    public void CanTransition_LegalMove_ReturnsTrueAndLeadMoves(LeadStatus from, LeadStatus to)
    {
        Assert.True(LeadStateMachine.CanTransition(from, to));
        var lead = new Lead { Status = from, Version = 3 };
        var at = new DateTimeOffset(2025, 3, 1, 12, 0, 0, TimeSpan.Zero);

        var previous = lead.TransitionTo(to, at);

        Assert.Equal(from, previous);
        Assert.Equal(to, lead.Status);
        Assert.Equal(4, lead.Version);
        Assert.Equal(at, lead.UpdatedAt);
    }

    [Theory]
    [MemberData(nameof(IllegalTransitions))]
    public void TransitionTo_IllegalMove_ThrowsAndLeavesLeadUnchanged(LeadStatus from, LeadStatus to)
    {
        Assert.False(LeadStateMachine.CanTransition(from, to));
        var lead = new Lead { Status = from, Version = 7 };

        var ex = Assert.Throws<InvalidLeadTransitionException>(() => lead.TransitionTo(to, DateTimeOffset.UnixEpoch));

        Assert.Equal(from, ex.From);
        Assert.Equal(to, ex.To);
        Assert.Contains(from.ToString(), ex.Message, StringComparison.Ordinal);
        Assert.Equal(from, lead.Status);
        Assert.Equal(7, lead.Version);
    }

    [Fact]
    public void CanTransition_UndefinedStatusValue_ReturnsFalse()
    {
        Assert.False(LeadStateMachine.CanTransition((LeadStatus)99, LeadStatus.New));
        Assert.False(LeadStateMachine.CanTransition(LeadStatus.New, (LeadStatus)(-1)));
    }

    [Fact]
    public void Quarantine_IsReachableFromEveryOtherState()
    {
        foreach (var status in Enum.GetValues<LeadStatus>().Where(s => s != LeadStatus.Quarantined))
        {
            Assert.Contains(LeadStatus.Quarantined, LeadStateMachine.NextStates(status));
        }
    }

    [Fact]
    public void IsTerminalForPipeline_OutcomeStates_AreTerminal_WorkStatesAreNot()
    {
        Assert.False(LeadStateMachine.IsTerminalForPipeline(LeadStatus.New));
        Assert.False(LeadStateMachine.IsTerminalForPipeline(LeadStatus.Scored));
        Assert.False(LeadStateMachine.IsTerminalForPipeline(LeadStatus.Routed));
        Assert.True(LeadStateMachine.IsTerminalForPipeline(LeadStatus.Disqualified));
        Assert.True(LeadStateMachine.IsTerminalForPipeline(LeadStatus.ManualReview));
        Assert.True(LeadStateMachine.IsTerminalForPipeline(LeadStatus.Contacted));
        Assert.True(LeadStateMachine.IsTerminalForPipeline(LeadStatus.Quarantined));
    }

    [Fact]
    public void Clone_CopiesMapsSoChangesDoNotLeak()
    {
        var lead = new Lead { Id = Guid.NewGuid(), Email = "a@b.co" };
        lead.Attributes["visits"] = "3";

        var copy = lead.Clone();
        copy.Attributes["visits"] = "9";
        copy.Email = "c@d.co";

        Assert.Equal("3", lead.Attributes["visits"]);
        Assert.Equal("a@b.co", lead.Email);
        Assert.Equal(lead.Id, copy.Id);
    }
}
