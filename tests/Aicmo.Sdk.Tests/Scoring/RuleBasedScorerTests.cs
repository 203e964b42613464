using System.Globalization;
using Aicmo.Sdk.Domain;
using Aicmo.Sdk.Tests.Support;
using Aicmo.Sdk.Scoring;
using Microsoft.Extensions.Time.Testing;

namespace Aicmo.Sdk.Tests.Scoring;

public sealed class RuleBasedScorerTests
{
    [Fact]
    public void Score_DefaultOptions_HasAtLeastThirtySignalsEachWithAReason()
    {
        var score = new RuleBasedScorer(new RuleBasedScorerOptions()).Score(TestLeads.Create(), TestLeads.Now);

        Assert.True(score.Components.Count >= 30, $"only {score.Components.Count} signals");
        Assert.All(score.Components, c => Assert.False(string.IsNullOrWhiteSpace(c.Reason), c.Signal));
        Assert.Equal(score.Components.Count, score.Components.Select(c => c.Signal).Distinct().Count());
        Assert.Contains(score.Components, c => c.ScoreName == ScoreNames.Fit);
        Assert.Contains(score.Components, c => c.ScoreName == ScoreNames.Intent);
    }

    [Fact]
    public void Score_ThousandsOfGeneratedLeads_TotalAlwaysEqualsClampedSumOfContributions()
    {
        var options = new RuleBasedScorerOptions { TargetIndustries = { "Software", "Healthcare" }, TargetCountries = { "US", "DE" } };
        options.Weights[ScoringSignals.EmailBusiness] = -0.5; // a penalty, so clamping at 0 is exercised too
        options.AttributeRules.Add(new AttributeRule { Signal = "attr.plan", Attribute = "plan", Value = "enterprise", Weight = 2 });
        var scorer = new RuleBasedScorer(options);
        var checkedLeads = 0;

        foreach (var lead in TestLeads.Generate(5_000, seed: 7))
        {
            var score = scorer.Score(lead, TestLeads.Now);
            var sum = score.Components.Sum(c => c.Contribution);

            Assert.Equal(Math.Clamp(sum, 0, 1), score.Value, 12);
            Assert.InRange(score.Value, 0, 1);
            Assert.Equal(options.GradeOf(score.Value), score.Grade);
            Assert.All(score.Components, c => Assert.InRange(c.RawValue, 0, 1));
            foreach (var (name, value) in score.Scores)
            {
                Assert.InRange(value, 0, 1);
            }

            checkedLeads++;
        }

        Assert.Equal(5_000, checkedLeads);
    }

    [Fact]
    public void Score_NamedScores_AreTheirComponentsDividedByTheirShare()
    {
        var options = new RuleBasedScorerOptions();
        var scorer = new RuleBasedScorer(options);
        foreach (var lead in TestLeads.Generate(500, seed: 3))
        {
            var score = scorer.Score(lead, TestLeads.Now);
            var fit = score.Components.Where(c => c.ScoreName == ScoreNames.Fit).Sum(c => c.Contribution);
            var intent = score.Components.Where(c => c.ScoreName == ScoreNames.Intent).Sum(c => c.Contribution);

            Assert.Equal(Math.Clamp(fit / 0.75, 0, 1), score.Scores[ScoreNames.Fit], 9);
            Assert.Equal(Math.Clamp(intent / 0.25, 0, 1), score.Scores[ScoreNames.Intent], 9);
        }
    }

    [Fact]
    public void Score_PerfectLead_IsGradedAAndEmptyLeadD()
    {
        var scorer = new RuleBasedScorer(new RuleBasedScorerOptions { IntentHalfLife = TimeSpan.Zero });
        var hot = TestLeads.Create(l =>
        {
            foreach (var (key, full) in IntentAttributes.DefaultSaturation)
            {
                l.Attributes[key] = (full * 2).ToString(CultureInfo.InvariantCulture);
            }

            l.Attributes[IntentAttributes.LastActivityAt] = TestLeads.Now.ToString("O", CultureInfo.InvariantCulture);
        });
        var empty = new Lead { Id = Guid.NewGuid(), CreatedAt = TestLeads.Now };

        Assert.Equal("A", scorer.Score(hot, TestLeads.Now).Grade);
        Assert.Equal("D", scorer.Score(empty, TestLeads.Now).Grade);
    }

    [Fact]
    public void Score_GradeCutOffs_AreConfigurable()
    {
        var lead = TestLeads.Create();
        var value = new RuleBasedScorer(new RuleBasedScorerOptions()).Score(lead, TestLeads.Now).Value;
        var strict = new RuleBasedScorerOptions { GradeA = 0.99, GradeB = 0.98, GradeC = 0.97 };
        var lenient = new RuleBasedScorerOptions { GradeA = value - 0.01, GradeB = value / 2, GradeC = value / 4 };

        Assert.Equal("D", new RuleBasedScorer(strict).Score(lead, TestLeads.Now).Grade);
        Assert.Equal("A", new RuleBasedScorer(lenient).Score(lead, TestLeads.Now).Grade);
    }

    [Fact]
    public void Score_IntentOneHalfLifeOld_CountsHalf()
    {
        var scorer = new RuleBasedScorer(new RuleBasedScorerOptions { IntentHalfLife = TimeSpan.FromDays(10) });
        var fresh = TestLeads.Create(l => { l.Attributes["visits"] = "40"; l.Attributes["lastActivityAt"] = TestLeads.Now.ToString("O"); });
        var old = TestLeads.Create(l => { l.Attributes["visits"] = "40"; l.Attributes["lastActivityAt"] = TestLeads.Now.AddDays(-10).ToString("O"); });

        var freshVisits = scorer.Score(fresh, TestLeads.Now).Components.Single(c => c.Signal == ScoringSignals.IntentVisits);
        var oldVisits = scorer.Score(old, TestLeads.Now).Components.Single(c => c.Signal == ScoringSignals.IntentVisits);

        Assert.Equal(1, freshVisits.RawValue, 9);
        Assert.Equal(0.5, oldVisits.RawValue, 9);
        Assert.Equal(freshVisits.Contribution / 2, oldVisits.Contribution, 9);
        Assert.Contains("decayed to 50%", oldVisits.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ScoreAsync_TakesTheTimeFromTheStageContext()
    {
        var time = new FakeTimeProvider(TestLeads.Now);
        var scorer = new RuleBasedScorer(new RuleBasedScorerOptions { IntentHalfLife = TimeSpan.FromDays(1) });
        var lead = TestLeads.Create(l => { l.Attributes["visits"] = "40"; l.Attributes["lastActivityAt"] = TestLeads.Now.ToString("O"); });
        var context = TestLeads.Context(time);

        var before = (await scorer.ScoreAsync(lead, context, default)).Components.Single(c => c.Signal == ScoringSignals.IntentVisits).RawValue;
        time.Advance(TimeSpan.FromDays(2));
        var after = (await scorer.ScoreAsync(lead, context, default)).Components.Single(c => c.Signal == ScoringSignals.IntentVisits).RawValue;

        Assert.Equal(1, before, 9);
        Assert.Equal(0.25, after, 9);
    }

    [Fact]
    public void Score_EmailQualitySignals_ExplainFreeMailRoleAndDisposable()
    {
        var scorer = new RuleBasedScorer(new RuleBasedScorerOptions());
        Assert.Equal("free-mail address", Reason(scorer, "ada@gmail.com", ScoringSignals.EmailBusiness));
        Assert.Equal("role account (not a person)", Reason(scorer, "info@analytical.io", ScoringSignals.EmailPersonal));
        Assert.Equal("disposable email domain", Reason(scorer, "ada@mailinator.com", ScoringSignals.EmailNotDisposable));
        Assert.Equal("disposable email domain", Reason(scorer, "ada@eu.yopmail.com", ScoringSignals.EmailNotDisposable));
        Assert.Equal("email domain matches the company domain", Reason(scorer, "ada@analytical.io", ScoringSignals.EmailDomainMatch));

        static string Reason(RuleBasedScorer scorer, string email, string signal) =>
            scorer.Score(TestLeads.Create(l => l.Email = email), TestLeads.Now).Components.Single(c => c.Signal == signal).Reason;
    }

    [Fact]
    public void Score_AttributeRule_IsASignalOfItsOwn()
    {
        var options = new RuleBasedScorerOptions();
        options.AttributeRules.Add(new AttributeRule { Signal = "attr.seats", Attribute = "seats", Min = 50, Weight = 3, Score = ScoreNames.Fit });
        var scorer = new RuleBasedScorer(options);

        var big = scorer.Score(TestLeads.Create(l => l.Attributes["seats"] = "120"), TestLeads.Now).Components.Single(c => c.Signal == "attr.seats");
        var small = scorer.Score(TestLeads.Create(l => l.Attributes["seats"] = "5"), TestLeads.Now).Components.Single(c => c.Signal == "attr.seats");

        Assert.Equal(1, big.RawValue);
        Assert.True(big.Contribution > 0);
        Assert.Equal(0, small.Contribution);
        Assert.Contains("out of range", small.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Score_ZeroWeight_TurnsASignalOff()
    {
        var options = new RuleBasedScorerOptions();
        options.Weights[ScoringSignals.PhonePresent] = 0;

        var score = new RuleBasedScorer(options).Score(TestLeads.Create(), TestLeads.Now);

        Assert.DoesNotContain(score.Components, c => c.Signal == ScoringSignals.PhonePresent);
    }

    [Theory]
    [InlineData("GradeA", "grade cut-offs")]
    [InlineData("Weights", "Weights[\"no.such.signal\"]")]
    [InlineData("ScoreWeights", "ScoreWeights[\"fit\"]")]
    [InlineData("IntentHalfLife", "IntentHalfLife")]
    public void Constructor_InvalidOption_FailsNamingTheOption(string option, string expected)
    {
        var options = new RuleBasedScorerOptions();
        switch (option)
        {
            case "GradeA": options.GradeA = 0.1; break;
            case "Weights": options.Weights["no.such.signal"] = 1; break;
            case "ScoreWeights": options.ScoreWeights["fit"] = -1; break;
            case "IntentHalfLife": options.IntentHalfLife = TimeSpan.FromDays(-1); break;
        }

        var ex = Assert.Throws<ArgumentException>(() => new RuleBasedScorer(options));
        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Score_NamedScores_ReadLikeAReadOnlyDictionaryInNameOrder()
    {
        var score = new RuleBasedScorer(new RuleBasedScorerOptions()).Score(TestLeads.Create(), TestLeads.Now);

        Assert.Equal(2, score.Scores.Count);
        Assert.Equal([ScoreNames.Fit, ScoreNames.Intent], score.Scores.Keys);
        Assert.Equal(score.Scores.Values, score.Scores.Select(p => p.Value));
        Assert.True(score.Scores.TryGetValue(ScoreNames.Fit, out var fit));
        Assert.Equal(fit, score.Scores[ScoreNames.Fit]);
        Assert.False(score.Scores.ContainsKey("FIT"));
        Assert.Throws<KeyNotFoundException>(() => score.Scores["other"]);
    }

    [Fact]
    public void Score_SameFactsAtTheSameTime_GiveEqualComponentsWithTheSameReasons()
    {
        var scorer = new RuleBasedScorer(new RuleBasedScorerOptions());
        var first = TestLeads.Create(l => { l.CompanySize = 120; l.Attributes["visits"] = "7"; });
        var second = TestLeads.Create(l => { l.CompanySize = 120; l.Attributes["visits"] = "7"; });

        var a = scorer.Score(first, TestLeads.Now.AddSeconds(30));
        var b = scorer.Score(second, TestLeads.Now.AddSeconds(30));

        Assert.Equal(a.Components, b.Components);
        Assert.Equal("120 employees, inside the ideal 50-10000", a.Components.Single(c => c.Signal == ScoringSignals.CompanySizeFit).Reason);
    }
}
