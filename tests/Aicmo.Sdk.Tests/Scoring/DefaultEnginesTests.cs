using Aicmo.Sdk.Domain;
using Aicmo.Sdk.Qualification;
using Aicmo.Sdk.Routing;
using Aicmo.Sdk.Scoring;
using Aicmo.Sdk.Testing;

namespace Aicmo.Sdk.Tests.Scoring;

public class DefaultEnginesTests
{
    [Fact]
    public void RuleBasedScorer_ScoresFromTheLeadAndComponentsSumToTheValue()
    {
        var options = new RuleBasedScorerOptions();
        options.TargetIndustries.Add("Software");
        var scorer = new RuleBasedScorer(options);
        var senior = new Lead { Email = "cto@acme.io", Title = "CTO", CompanySize = 5000, Industry = "Software", Phone = "1", Country = "US" };
        var junior = new Lead { Email = "kid@gmail.com", Title = "Intern", CompanySize = 3 };

        var high = scorer.Score(senior);
        var low = scorer.Score(junior);

        Assert.True(high.Value > low.Value);
        Assert.Equal(high.Value, high.Components.Sum(c => c.Contribution), 12);
        Assert.Equal(low.Value, low.Components.Sum(c => c.Contribution), 12);
        Assert.Equal("free-mail address", low.Components.Single(c => c.Signal == ScoringSignals.EmailBusiness).Reason);
        Assert.Equal(1.0, high.Components.Single(c => c.Signal == ScoringSignals.TitleSeniority).RawValue);
    }

    [Theory]
    [InlineData("Director of Sales", 0.7)]
    [InlineData("Senior Software Engineer", 0.25)]
    [InlineData("VP Marketing", 0.85)]
    [InlineData("Co-Founder & CEO", 1.0)]
    [InlineData("Sales Manager", 0.5)]
    public void RuleBasedScorer_TitleSeniority_MatchesWholeWords(string title, double expected)
    {
        var score = new RuleBasedScorer(new RuleBasedScorerOptions()).Score(new Lead { Title = title });
        Assert.Equal(expected, score.Components.Single(c => c.Signal == ScoringSignals.TitleSeniority).RawValue);
    }

    [Fact]
    public void RuleBasedScorer_OverThousandsOfSyntheticLeads_ScoreInRangeAndEqualsItsLedger()
    {
        var scorer = new RuleBasedScorer(new RuleBasedScorerOptions());
        foreach (var c in new SyntheticLeadSource(5000, 3).Enumerate())
        {
            var lead = new Lead { Email = c.Email, Title = c.Title, CompanySize = c.CompanySize, Industry = c.Industry, Country = c.Country, Phone = c.Phone, FirstName = c.FirstName };
            var score = scorer.Score(lead);
            Assert.InRange(score.Value, 0, 1);
            Assert.Equal(score.Value, Math.Clamp(score.Components.Sum(x => x.Contribution), 0, 1), 12);
        }
    }

    [Theory]
    [InlineData(0.80, "ada@acme.io", QualificationVerdict.Qualified)]
    [InlineData(0.46, "ada@acme.io", QualificationVerdict.ManualReview)]
    [InlineData(0.20, "ada@acme.io", QualificationVerdict.Disqualified)]
    [InlineData(0.90, "info@acme.io", QualificationVerdict.Disqualified)]
    [InlineData(0.90, "not-an-email", QualificationVerdict.Disqualified)]
    public void ThresholdQualifier_DecidesWithReasons(double score, string email, QualificationVerdict expected)
    {
        var qualifier = new ThresholdQualifier(new ThresholdQualifierOptions());
        var decision = qualifier.Qualify(new Lead { Email = email, Score = new LeadScore(score, "B", []) });
        Assert.Equal(expected, decision.Verdict);
        Assert.NotEmpty(decision.Reasons);
    }

    [Fact]
    public void TierRouter_AssignsOwnersOfTheTierInTurn()
    {
        var router = new TierRouter(new TierRouterOptions());
        var lead = new Lead { Score = new LeadScore(0.6, "B", []) };

        var owners = Enumerable.Range(0, 30).Select(_ => router.Route(lead)).ToList();

        Assert.All(owners, d => Assert.Equal("growth", d.Team));
        Assert.Equal([10, 10, 10], owners.GroupBy(d => d.Owner).Select(g => g.Count()).ToArray());
        Assert.Equal("ae-1", router.Route(new Lead { Score = new LeadScore(0.9, "A", []) }).Owner);
    }

}
