using Aicmo.Sdk.Domain;
using Aicmo.Sdk.Storage;
using Aicmo.Sdk.Testing.Contracts;
using Microsoft.Extensions.Time.Testing;

namespace Aicmo.Sdk.Tests.Storage;

public sealed class LeadQuarantineTests
{
    private readonly InMemoryAuditLog _audit = new();
    private readonly InMemoryLeadRepository _leads;
    private readonly FakeTimeProvider _time = new(ContractTestData.BaseTime);
    private readonly LeadQuarantine _quarantine;
    private readonly Guid _runId = Guid.NewGuid();

    public LeadQuarantineTests()
    {
        _leads = new InMemoryLeadRepository(_audit);
        _quarantine = new LeadQuarantine(_leads, _audit, _time);
    }

    private async Task<Lead> StoreAsync(LeadStatus status, Action<Lead>? configure = null)
    {
        var lead = ContractTestData.NewLead("quarantine");
        lead.Status = status;
        configure?.Invoke(lead);
        Assert.True(await _leads.TryAddAsync(lead));
        return lead;
    }

    [Fact]
    public async Task QuarantineAsync_WaitingLeads_AreQuarantinedWithTheReason_OutcomesAndRepeatsAreLeftAlone()
    {
        var waiting = await StoreAsync(LeadStatus.Scored);
        var routed = await StoreAsync(LeadStatus.Routed);
        var done = await StoreAsync(LeadStatus.Disqualified);
        var nurtured = await StoreAsync(LeadStatus.Routed, l => l.Nurture = new NurtureState("intro", 1, ContractTestData.BaseTime, NurtureOutcome.DryRun, "dry run"));
        Guid[] batch = [waiting.Id, routed.Id, done.Id, nurtured.Id, Guid.NewGuid()];

        Assert.Equal(2, await _quarantine.QuarantineAsync(batch, _runId, "qualify", "InvalidOperationException: the model is down", attempts: 5));
        Assert.Equal(0, await _quarantine.QuarantineAsync(batch, _runId, "qualify", "again", attempts: 6));

        var stored = (await _leads.GetAsync(waiting.Id))!;
        Assert.Equal(LeadStatus.Quarantined, stored.Status);
        Assert.Equal(new LeadFault("qualify", LeadQuarantine.ParkedErrorType, "InvalidOperationException: the model is down", 5), stored.Fault);
        var moved = Assert.Single(await _audit.ReadAsync(waiting.Id));
        Assert.Equal((LeadStatus.Scored, LeadStatus.Quarantined, _runId, stored.Version), (moved.From, moved.To, moved.RunId, moved.Sequence));
        Assert.Equal("ParkedBatch: InvalidOperationException: the model is down", moved.Reason);
        Assert.Equal(LeadStatus.Quarantined, (await _leads.GetAsync(routed.Id))!.Status);
        Assert.Equal(LeadStatus.Disqualified, (await _leads.GetAsync(done.Id))!.Status);
        Assert.Equal(LeadStatus.Routed, (await _leads.GetAsync(nurtured.Id))!.Status);
    }

    [Fact]
    public async Task ReleaseAsync_TakesEachLeadBackToTheStateItWasQuarantinedFrom_OnlyAtItsStage()
    {
        var scored = await StoreAsync(LeadStatus.Scored);
        var routed = await StoreAsync(LeadStatus.Routed);
        var otherFault = await StoreAsync(LeadStatus.Quarantined, l => l.Fault = new LeadFault("qualify", "TimeoutException", "slow", 3));
        Guid[] batch = [scored.Id, routed.Id, otherFault.Id];
        await _quarantine.QuarantineAsync(batch, _runId, "qualify", "parked", attempts: 5);

        Assert.Equal(0, await _quarantine.ReleaseAsync(batch, _runId, "route"));
        _time.Advance(TimeSpan.FromMinutes(5));
        Assert.Equal(2, await _quarantine.ReleaseAsync(batch, _runId, "qualify"));
        Assert.Equal(0, await _quarantine.ReleaseAsync(batch, _runId, "qualify"));

        var released = (await _leads.GetAsync(scored.Id))!;
        Assert.Equal(LeadStatus.Scored, released.Status);
        Assert.Null(released.Fault);
        Assert.Equal(_time.GetUtcNow(), released.UpdatedAt);
        Assert.Equal(LeadStatus.Routed, (await _leads.GetAsync(routed.Id))!.Status);
        Assert.Equal(LeadStatus.Quarantined, (await _leads.GetAsync(otherFault.Id))!.Status);
        var trail = await _audit.ReadAsync(scored.Id);
        Assert.Equal([(LeadStatus?)LeadStatus.Scored, LeadStatus.Quarantined], trail.Select(e => e.From));
        Assert.Equal([2L, 3L], trail.Select(e => e.Sequence));
    }
}
