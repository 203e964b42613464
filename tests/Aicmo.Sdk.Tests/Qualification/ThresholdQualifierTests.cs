using Aicmo.Sdk.Domain;
using Aicmo.Sdk.Tests.Support;
using Aicmo.Sdk.Qualification;
using Aicmo.Sdk.Scoring;

namespace Aicmo.Sdk.Tests.Qualification;

public sealed class ThresholdQualifierTests
{
    private static Lead Scored(double value, Action<Lead>? configure = null, double intent = 0.5) => TestLeads.Create(l =>
    {
        l.Score = new LeadScore(value, "B", []) { Scores = new Dictionary<string, double> { [ScoreNames.Fit] = value, [ScoreNames.Intent] = intent } };
        configure?.Invoke(l);
    });

    private static QualificationDecision Qualify(Lead lead, ThresholdQualifierOptions? options = null) =>
        new ThresholdQualifier(options ?? new ThresholdQualifierOptions()).Qualify(lead);

    [Fact]
    public void Qualify_CleanLeadAboveThreshold_IsQualifiedWithTheScoreReason()
    {
        var decision = Qualify(Scored(0.8));

        Assert.Equal(QualificationVerdict.Qualified, decision.Verdict);
        Assert.Equal(["score at or above 0.50"], decision.Reasons);
    }

    [Theory]
    [InlineData(0.2, QualificationVerdict.Disqualified, "score below 0.40")]
    [InlineData(0.42, QualificationVerdict.ManualReview, "score within the review band [0.40, 0.50)")]
    [InlineData(0.5, QualificationVerdict.Qualified, "score at or above 0.50")]
    public void Qualify_ScoreAroundThreshold_UsesTheManualReviewBand(double score, QualificationVerdict verdict, string reason)
    {
        var decision = Qualify(Scored(score));

        Assert.Equal(verdict, decision.Verdict);
        Assert.Equal(reason, Assert.Single(decision.Reasons));
    }

    [Fact]
    public void Qualify_SeveralRulesFire_ReportsEveryReasonInRuleOrder()
    {
        var options = new ThresholdQualifierOptions { RequiredFields = { "phone" }, ExcludedCountries = { "US" } };
        var decision = Qualify(Scored(0.1, l => { l.Email = "info@mailinator.com"; l.Phone = null; }), options);

        Assert.Equal(QualificationVerdict.Disqualified, decision.Verdict);
        Assert.Equal(
            ["required field phone is missing", "disposable email domain mailinator.com", "role account address", "excluded country US", "score below 0.40"],
            decision.Reasons);
    }

    [Fact]
    public void Qualify_RuleOrder_IsConfigurable()
    {
        var options = new ThresholdQualifierOptions { Rules = { QualificationRules.Score, QualificationRules.RoleAccount } };
        var decision = Qualify(Scored(0.1, l => l.Email = "sales@analytical.io"), options);

        Assert.Equal(["score below 0.40", "role account address"], decision.Reasons);
    }

    [Theory]
    [InlineData("ada@@analytical.io")]
    [InlineData("ada@analytical")]
    [InlineData("ada lovelace@analytical.io")]
    [InlineData(".ada@analytical.io")]
    [InlineData("ada..l@analytical.io")]
    [InlineData("ada@-analytical.io")]
    [InlineData("ada@analytical.io\r\nBcc: victim@example.com")]
    public void Qualify_MalformedEmail_IsDisqualified(string email)
    {
        var decision = Qualify(Scored(0.9, l => l.Email = email));

        Assert.Equal(QualificationVerdict.Disqualified, decision.Verdict);
        Assert.Contains("malformed email address", decision.Reasons);
    }

    [Theory]
    [InlineData(RuleAction.Allow, QualificationVerdict.Qualified)]
    [InlineData(RuleAction.ManualReview, QualificationVerdict.ManualReview)]
    [InlineData(RuleAction.Disqualify, QualificationVerdict.Disqualified)]
    public void Qualify_FreeMailPolicy_DecidesFreeMailLeads(RuleAction policy, QualificationVerdict expected)
    {
        var decision = Qualify(Scored(0.9, l => l.Email = "ada@gmail.com"), new ThresholdQualifierOptions { FreeMail = policy });

        Assert.Equal(expected, decision.Verdict);
    }

    [Fact]
    public void Qualify_ShippedAndAdditionalDisposableDomains_AreDisqualified()
    {
        var options = new ThresholdQualifierOptions { AdditionalDisposableDomains = { "burner.test" } };

        Assert.Equal(QualificationVerdict.Disqualified, Qualify(Scored(0.9, l => l.Email = "ada@guerrillamail.com"), options).Verdict);
        Assert.Equal(QualificationVerdict.Disqualified, Qualify(Scored(0.9, l => l.Email = "ada@x.burner.test"), options).Verdict);
        Assert.True(EmailDomains.Disposable.Count >= 100);
    }

    [Fact]
    public void Qualify_ExclusionLists_DisqualifyCompetitorsCustomersAndAddresses()
    {
        var options = new ThresholdQualifierOptions
        {
            CompetitorDomains = { "rival.com" },
            CustomerDomains = { "https://www.loyal.io/" },
            ExcludedEmails = { "Grace@Navy.mil" },
        };

        Assert.Contains("competitor domain eu.rival.com", Qualify(Scored(0.9, l => l.Email = "x@eu.rival.com"), options).Reasons);
        Assert.Contains("existing customer loyal.io", Qualify(Scored(0.9, l => { l.Email = "x@gmail.com"; l.CompanyDomain = "loyal.io"; }), options).Reasons);
        Assert.Contains("excluded address", Qualify(Scored(0.9, l => l.Email = "grace@navy.mil"), options).Reasons);
    }

    [Fact]
    public void Qualify_IntentBelowThreshold_GoesToManualReview()
    {
        var options = new ThresholdQualifierOptions { MinIntentScore = 0.3 };

        var decision = Qualify(Scored(0.9, intent: 0.1), options);

        Assert.Equal(QualificationVerdict.ManualReview, decision.Verdict);
        Assert.Contains("intent 0.10 below 0.30", decision.Reasons);
        Assert.Equal(QualificationVerdict.Qualified, Qualify(Scored(0.9, intent: 0.4), options).Verdict);
    }

    public static TheoryData<string, string?> HostileValues => new()
    {
        { "CR", "Ada\rBcc: x@example.com" },
        { "LF", "Ada\nLovelace" },
        { "NUL", "Ada\0" },
        { "tab", "Ada\tLovelace" },
        { "escape", "Ada\u001b[31m" },
        { "bidi", "Ada\u202Eecalevol" },
        { "long", new string('a', 300) },
        { "decomposed", "Ame\u0301lie" },
    };

    [Theory]
    [MemberData(nameof(HostileValues))]
    public void Qualify_HostileInputInAnyField_NeverPasses(string kind, string? value)
    {
        foreach (var set in new Action<Lead>[]
                 {
                     l => l.FirstName = value, l => l.LastName = value, l => l.Title = value, l => l.CompanyName = value,
                     l => l.Industry = value, l => l.Phone = value, l => l.Attributes["note"] = value + new string('x', kind == "long" ? 2000 : 0),
                 })
        {
            var decision = Qualify(Scored(0.95, set));

            Assert.Equal(QualificationVerdict.Disqualified, decision.Verdict);
            Assert.Contains(decision.Reasons, r => r.StartsWith("hostile input:", StringComparison.Ordinal));
        }
    }

    [Fact]
    public void Qualify_UnpairedSurrogate_IsHostile()
    {
        var decision = Qualify(Scored(0.95, l => l.LastName = "Lovelace\uD800"));

        Assert.Equal(QualificationVerdict.Disqualified, decision.Verdict);
        Assert.Contains("hostile input: lastName contains an unpaired surrogate (invalid Unicode)", decision.Reasons);
    }

    [Fact]
    public void Qualify_NormalizedNonAsciiText_Passes()
    {
        var decision = Qualify(Scored(0.9, l => { l.FirstName = "Amélie"; l.LastName = "Øster-Świątek"; l.CompanyName = "東京株式会社"; }));

        Assert.Equal(QualificationVerdict.Qualified, decision.Verdict);
    }

    [Fact]
    public void Constructor_UnknownRuleOrField_FailsNamingTheOption()
    {
        var ex = Assert.Throws<ArgumentException>(() => new ThresholdQualifier(new ThresholdQualifierOptions { Rules = { "vibes" }, RequiredFields = { "shoeSize" } }));

        Assert.Contains("ThresholdQualifierOptions.Rules[0] 'vibes'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("ThresholdQualifierOptions.RequiredFields[0] 'shoeSize'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Compatibility_BooleanShorthands_MapToPolicies()
    {
        var options = new ThresholdQualifierOptions { RejectFreeMail = true, RejectRoleAccounts = false };

        Assert.Equal(RuleAction.Disqualify, options.FreeMail);
        Assert.Equal(RuleAction.Allow, options.RoleAccounts);
    }

    [Fact]
    public void Qualify_ReasonsOfADecision_CannotBeChangedThroughTheList()
    {
        var qualifier = new ThresholdQualifier(new ThresholdQualifierOptions());

        var first = qualifier.Qualify(Scored(0.9));
        var second = qualifier.Qualify(Scored(0.95));

        Assert.Equal(first.Verdict, second.Verdict);
        Assert.Equal(first.Reasons, second.Reasons);
        Assert.True(first.Reasons is ICollection<string> { IsReadOnly: true });
    }
}
