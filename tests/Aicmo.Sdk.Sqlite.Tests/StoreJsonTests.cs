using System.Text;
using Aicmo.Sdk.Domain;
using Aicmo.Sdk.Storage.Sql;
using Aicmo.Sdk.Testing.Contracts;

namespace Aicmo.Sdk.Sqlite.Tests;

public sealed class StoreJsonTests
{
    public static TheoryData<string> Texts() => new(ContractTestData.HostileValues.Concat(["plain", "Zoë"]));

    [Theory]
    [MemberData(nameof(Texts))]
    public void SerializeToPooledUtf8_FullLead_WritesTheSameDocumentAsSerialize(string text)
    {
        var lead = ContractTestData.FullLead("campaign", text);

        AssertSameDocument(lead);
    }

    [Fact]
    public void SerializeToPooledUtf8_UsualAndMinimalLeads_WritesTheSameDocumentAsSerialize()
    {
        var usual = ContractTestData.NewLead("campaign");
        usual.Attributes["intent"] = "high";
        usual.Score = new LeadScore(0.1 + 0.2, "B", [new ScoreComponent("title.seniority", 0.4, 1.0 / 3, 0.13333333333333333, "VP")]);
        usual.Status = LeadStatus.Scored;
        var minimal = new Lead { Id = Guid.NewGuid(), CampaignId = "c", IdentityKey = "k" };

        AssertSameDocument(usual);
        AssertSameDocument(minimal);
    }

    private static void AssertSameDocument(Lead lead)
    {
        var pooled = StoreJson.SerializeToPooledUtf8(lead);
        try
        {
            Assert.Equal(StoreJson.Serialize(lead), Encoding.UTF8.GetString(pooled.Span));
            ContractAssert.LeadEqual(lead, StoreJson.DeserializeLead(pooled.Span));
        }
        finally
        {
            pooled.Return();
        }
    }
}
