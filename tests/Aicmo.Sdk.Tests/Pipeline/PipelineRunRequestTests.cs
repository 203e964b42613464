using Aicmo.Sdk.Domain;
using Aicmo.Sdk.Pipeline;
using Aicmo.Sdk.Stages;
using Aicmo.Sdk.Testing;

namespace Aicmo.Sdk.Tests.Pipeline;

public class PipelineRunRequestTests
{
    private static PipelineRunRequest WithParameters(Dictionary<string, string> parameters) =>
        new() { CampaignId = "c", Parameters = parameters };

    [Fact]
    public void Validate_TooManyParameters_ThrowsNamingParameters()
    {
        var parameters = Enumerable.Range(0, PipelineRunRequest.MaxParameterCount + 1).ToDictionary(i => "k" + i, i => "v");

        var ex = Assert.Throws<ArgumentException>(() => WithParameters(parameters).Validate());

        Assert.Equal("Parameters", ex.ParamName);
        Assert.Contains("at most 32", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("1st")]
    [InlineData("has space")]
    [InlineData("semi;colon")]
    [InlineData("ümlaut")]
    public void Validate_InvalidParameterKey_ThrowsNamingParameters(string key)
    {
        var ex = Assert.Throws<ArgumentException>(() => WithParameters(new() { [key] = "v" }).Validate());

        Assert.Equal("Parameters", ex.ParamName);
        Assert.Contains("key", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_KeyOneCharacterTooLong_Throws_AndTheLongestAllowedKeyPasses()
    {
        var longest = "k" + new string('x', PipelineRunRequest.MaxParameterKeyLength - 1);
        WithParameters(new() { [longest] = "v", ["a.b_c-d9"] = string.Empty }).Validate();

        Assert.Throws<ArgumentException>(() => WithParameters(new() { [longest + "x"] = "v" }).Validate());
    }

    [Fact]
    public void Validate_ValueTooLongOrCarryingARefusedCharacter_ThrowsNamingTheKey()
    {
        var tooLong = Assert.Throws<ArgumentException>(() => WithParameters(new() { ["note"] = new string('x', PipelineRunRequest.MaxParameterValueLength + 1) }).Validate());
        var nul = Assert.Throws<ArgumentException>(() => WithParameters(new() { ["note"] = "a\0b" }).Validate());

        Assert.Equal("Parameters", tooLong.ParamName);
        Assert.Contains("Parameters['note']", tooLong.Message, StringComparison.Ordinal);
        Assert.Contains("U+0000", nul.Message, StringComparison.Ordinal);
        WithParameters(new() { ["note"] = "tab\tand\r\nlines are fine" }).Validate();
    }

    [Fact]
    public void Validate_BacklogKindWithoutSelection_OrSelectionOnAnotherKind_ThrowsNamingBacklog()
    {
        var missing = Assert.Throws<ArgumentException>(() => new PipelineRunRequest { CampaignId = "c", Kind = PipelineRunKind.Backlog }.Validate());
        var extra = Assert.Throws<ArgumentException>(() => new PipelineRunRequest
        {
            CampaignId = "c",
            Backlog = new BacklogSelection { Stages = [StageNames.Score], States = [LeadStatus.New] },
        }.Validate());

        Assert.Equal("Backlog", missing.ParamName);
        Assert.Equal("Backlog", extra.ParamName);
    }

    [Fact]
    public async Task Start_BacklogStagesUnknownOrNotConsecutiveOrStateThatCannotGoBack_ThrowsNamingTheField()
    {
        await using var t = TestPipeline.Create(new InMemoryLeadSource("crm", []));
        PipelineRunRequest Backlog(string[] stages, LeadStatus[] states) =>
            new() { CampaignId = "c", Kind = PipelineRunKind.Backlog, Backlog = new BacklogSelection { Stages = stages, States = states } };

        var unknown = Assert.Throws<ArgumentException>(() => t.Pipeline.Start(Backlog(["rescore"], [LeadStatus.New])));
        var gap = Assert.Throws<ArgumentException>(() => t.Pipeline.Start(Backlog([StageNames.Score, StageNames.Route], [LeadStatus.Disqualified])));
        var dedup = Assert.Throws<ArgumentException>(() => t.Pipeline.Start(Backlog([StageNames.Dedup], [LeadStatus.New])));
        var contacted = Assert.Throws<ArgumentException>(() => t.Pipeline.Start(Backlog([StageNames.Score], [LeadStatus.Contacted])));
        var skips = Assert.Throws<ArgumentException>(() => t.Pipeline.Start(Backlog([StageNames.Qualify], [LeadStatus.New])));

        Assert.Equal("Backlog.Stages", unknown.ParamName);
        Assert.Contains("enrich, score, qualify, route, nurture", unknown.Message, StringComparison.Ordinal);
        Assert.Equal("Backlog.Stages", gap.ParamName);
        Assert.Equal("Backlog.Stages", dedup.ParamName);
        Assert.Equal("Backlog.States", contacted.ParamName);
        Assert.Equal("Backlog.States", skips.ParamName);
    }

    [Theory]
    [InlineData(LeadStatus.Disqualified, LeadStatus.Enriched, true)]
    [InlineData(LeadStatus.ManualReview, LeadStatus.Qualified, true)]
    [InlineData(LeadStatus.Quarantined, LeadStatus.New, true)]
    [InlineData(LeadStatus.Qualified, LeadStatus.Scored, true)]
    [InlineData(LeadStatus.Routed, LeadStatus.Routed, true)]
    [InlineData(LeadStatus.Routed, LeadStatus.Qualified, false)]
    [InlineData(LeadStatus.Contacted, LeadStatus.Scored, false)]
    [InlineData(LeadStatus.New, LeadStatus.Scored, false)]
    [InlineData(LeadStatus.Disqualified, LeadStatus.Routed, false)]
    public void CanReenter_GoesBackOnlyBeforeRoutingAndNeverSkipsAStage(LeadStatus from, LeadStatus to, bool expected) =>
        Assert.Equal(expected, LeadStateMachine.CanReenter(from, to));
}
