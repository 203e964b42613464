using Aicmo.Sdk.Domain;
using Aicmo.Sdk.Tests.Support;
using Aicmo.Sdk.Qualification;
using Aicmo.Sdk.Scoring;

namespace Aicmo.Sdk.Tests.Qualification;

public sealed class ThresholdQualifierPropertyTests
{
    private static readonly string[] Poison = ["\r", "\n", "\r\n", "\0", "\u0007", "\u001b", "\u202e", "\u2066", "\ufeff", "e\u0301", "\ud800"];

    private static readonly Action<Lead, string>[] Fields =
    [
        (l, v) => l.FirstName = v, (l, v) => l.LastName = v, (l, v) => l.Email = v, (l, v) => l.Title = v, (l, v) => l.Phone = v,
        (l, v) => l.TimeZone = v, (l, v) => l.CompanyName = v, (l, v) => l.CompanyDomain = v, (l, v) => l.Industry = v,
        (l, v) => l.Country = v, (l, v) => l.Attributes["note"] = v, (l, v) => l.Attributes[v] = "1",
    ];

    [Fact]
    public void Qualify_ThousandsOfLeadsWithHostileFields_NeverQualify()
    {
        var random = new Random(11);
        var qualifier = new ThresholdQualifier(new ThresholdQualifierOptions { FreeMail = RuleAction.Allow, RoleAccounts = RuleAction.Allow, DisposableDomains = RuleAction.Allow });
        var scorer = new RuleBasedScorer(new RuleBasedScorerOptions());
        var checkedLeads = 0;

        foreach (var lead in TestLeads.Generate(3_000, seed: 11))
        {
            var field = Fields[random.Next(Fields.Length)];
            var original = random.Next(2) == 0 ? "Ada Lovelace" : "ada@analytical.io";
            var value = random.Next(5) == 0
                ? new string('x', 3_000)
                : original.Insert(random.Next(original.Length + 1), Poison[random.Next(Poison.Length)]);
            field(lead, value);
            lead.Score = new LeadScore(1, "A", []) { Scores = scorer.Score(lead, TestLeads.Now).Scores };

            var decision = qualifier.Qualify(lead);

            Assert.True(decision.Verdict != QualificationVerdict.Qualified, $"field {Array.IndexOf(Fields, field)} value '{string.Concat(value.Select(c => c < 128 && !char.IsControl(c) ? c.ToString() : $"\\u{(int)c:x4}"))}' qualified: {string.Join("; ", decision.Reasons)}");
            Assert.NotEmpty(decision.Reasons);
            checkedLeads++;
        }

        Assert.Equal(3_000, checkedLeads);
    }

    [Fact]
    public void Qualify_GeneratedLeads_AlwaysGiveAReasonAndAgreeWithTheThreshold()
    {
        var options = new ThresholdQualifierOptions();
        var qualifier = new ThresholdQualifier(options);
        var scorer = new RuleBasedScorer(new RuleBasedScorerOptions());

        foreach (var lead in TestLeads.Generate(3_000, seed: 12))
        {
            lead.Score = scorer.Score(lead, TestLeads.Now);
            var decision = qualifier.Qualify(lead);

            Assert.NotEmpty(decision.Reasons);
            if (decision.Verdict == QualificationVerdict.Qualified)
            {
                Assert.True(lead.Score.Value >= options.MinScore + options.ManualReviewBand);
            }

            if (lead.Score.Value < options.MinScore - options.ManualReviewBand)
            {
                Assert.Equal(QualificationVerdict.Disqualified, decision.Verdict);
            }
        }
    }
}
