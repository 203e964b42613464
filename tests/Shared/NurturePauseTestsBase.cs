using Aicmo.Sdk.Domain;
using Aicmo.Sdk.Nurture;
using Aicmo.Sdk.Pipeline;
using Aicmo.Sdk.Testing;
using Aicmo.Sdk.Testing.Contracts;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Aicmo.Sdk.Storage.Tests;

/// <summary>
/// <see cref="NurtureService.PauseAsync"/> on a real store: the pause is stored on the lead's nurture state as a new version with
/// its audit event, the nurture pass sends nothing before it ends and the next step once it has, and a pause never brings a
/// step forward.
/// </summary>
public abstract class NurturePauseTestsBase
{
    private static readonly DateTimeOffset Now = new(2026, 12, 7, 9, 0, 0, TimeSpan.Zero);
    private readonly FakeTimeProvider _time = new(Now);
    private readonly RecordingEmailSender _sender = new();

    /// <summary>Builds a pipeline on the store under test, with <paramref name="pipeline"/> adding the sender, clock and options.</summary>
    protected abstract (IServiceProvider Services, IAsyncDisposable Owner) Open(Action<IAicmoPipelineBuilder> pipeline);

    [StoreFact]
    public async Task PauseAsync_StoresThePauseAndTheNextStepWaitsForItsEnd()
    {
        var (services, owner) = OpenPipeline();
        await using var _ = owner;
        var lead = await AddContactedLeadAsync(services, nextStepDue: Now + TimeSpan.FromDays(1));
        var until = Now + TimeSpan.FromDays(10);

        var outcome = await services.GetRequiredService<NurtureService>().PauseAsync(lead.Id, until, "out of office until 17 Dec");

        Assert.Equal(NurturePauseOutcome.Paused, outcome);
        var stored = await GetAsync(services, lead);
        Assert.Equal((LeadStatus.Contacted, lead.Version + 1), (stored.Status, stored.Version));
        Assert.Equal((until, until), (stored.Nurture!.PausedUntil, stored.Nurture.NextStepDueAt));
        Assert.Equal(("out of office until 17 Dec", NurtureOutcome.Scheduled, 1), (stored.Nurture.Reason, stored.Nurture.Outcome, stored.Nurture.LastStep));
        var trail = await services.GetRequiredService<IAuditLog>().ReadAsync(lead.Id);
        var audited = Assert.Single(trail, e => e.Sequence == stored.Version);
        Assert.Equal(("out of office until 17 Dec", LeadStatus.Contacted, LeadStatus.Contacted), (audited.Reason, audited.From, audited.To));
    }

    [StoreFact]
    public async Task ProcessDueAsync_WhilePaused_SendsNothing_AndAfterThePause_SendsTheNextStep()
    {
        var (services, owner) = OpenPipeline();
        await using var _ = owner;
        var lead = await AddContactedLeadAsync(services, nextStepDue: Now + TimeSpan.FromDays(1));
        var nurture = services.GetRequiredService<NurtureService>();
        await nurture.PauseAsync(lead.Id, Now + TimeSpan.FromDays(10), "on leave");

        _time.Advance(TimeSpan.FromDays(2));
        var during = await nurture.ProcessDueAsync(lead.CampaignId);
        _time.Advance(TimeSpan.FromDays(8));
        var after = await nurture.ProcessDueAsync(lead.CampaignId);

        Assert.Equal((0, 0), (during.Examined, during.Sent));
        Assert.Equal(1, after.Sent);
        Assert.Equal("Two", Assert.Single(_sender.Sent).Subject);
        var stored = await GetAsync(services, lead);
        Assert.Equal((2, (DateTimeOffset?)null), (stored.Nurture!.LastStep, stored.Nurture.PausedUntil));
    }

    [StoreFact]
    public async Task PauseAsync_EndingBeforeTheNextStepIsDue_ChangesNothing()
    {
        var (services, owner) = OpenPipeline();
        await using var _ = owner;
        var lead = await AddContactedLeadAsync(services, nextStepDue: Now + TimeSpan.FromDays(20));

        var outcome = await services.GetRequiredService<NurtureService>().PauseAsync(lead.Id, Now + TimeSpan.FromDays(3), "back soon");

        Assert.Equal(NurturePauseOutcome.AlreadyLater, outcome);
        var stored = await GetAsync(services, lead);
        Assert.Equal((lead.Version, Now + TimeSpan.FromDays(20), (DateTimeOffset?)null), (stored.Version, stored.Nurture!.NextStepDueAt, stored.Nurture.PausedUntil));
    }

    [StoreFact]
    public async Task PauseAsync_StoppedSequenceOrUnknownLead_IsReportedAndChangesNothing()
    {
        var (services, owner) = OpenPipeline();
        await using var _ = owner;
        var lead = await AddContactedLeadAsync(services, nextStepDue: Now + TimeSpan.FromDays(1));
        var nurture = services.GetRequiredService<NurtureService>();
        Assert.True(await nurture.StopAsync(lead.Id, NurtureStopReason.Reply));
        var stopped = await GetAsync(services, lead);

        Assert.Equal(NurturePauseOutcome.NothingScheduled, await nurture.PauseAsync(lead.Id, Now + TimeSpan.FromDays(10), "on leave"));
        Assert.Equal(NurturePauseOutcome.NotFound, await nurture.PauseAsync(Guid.NewGuid(), Now + TimeSpan.FromDays(10), "on leave"));
        Assert.Equal(stopped.Version, (await GetAsync(services, lead)).Version);
    }

    [StoreFact]
    public async Task PauseAsync_ReasonWithAControlCharacter_IsStoredWithoutIt()
    {
        var (services, owner) = OpenPipeline();
        await using var _ = owner;
        var lead = await AddContactedLeadAsync(services, nextStepDue: Now + TimeSpan.FromDays(1));

        await services.GetRequiredService<NurtureService>().PauseAsync(lead.Id, Now + TimeSpan.FromDays(5), "away\0 until Friday");

        Assert.Equal("away until Friday", (await GetAsync(services, lead)).Nurture!.Reason);
        await Assert.ThrowsAsync<ArgumentException>(async () => await services.GetRequiredService<NurtureService>().PauseAsync(lead.Id, Now, " "));
    }

    private (IServiceProvider Services, IAsyncDisposable Owner) OpenPipeline() => Open(b =>
    {
        b.AddEmailSender(_sender).UseTimeProvider(_time);
        b.Services.Configure<AicmoPipelineOptions>(o =>
        {
            o.DryRun = false;
            o.Nurture.Sequences["intro"] = new NurtureSequence
            {
                Steps =
                {
                    new NurtureStep { Subject = "One", Template = "1" },
                    new NurtureStep { Delay = TimeSpan.FromDays(1), Subject = "Two", Template = "2" },
                    new NurtureStep { Delay = TimeSpan.FromDays(1), Subject = "Three", Template = "3" },
                },
            };
        });
    });

    private static async Task<Lead> AddContactedLeadAsync(IServiceProvider services, DateTimeOffset nextStepDue)
    {
        var email = $"ada-{Guid.NewGuid():N}@analytical.example";
        var lead = new Lead
        {
            Id = Guid.NewGuid(),
            CampaignId = ContractTestData.NewCampaignId(),
            IdentityKey = "e:" + email,
            Source = "test",
            Email = email,
            FirstName = "Ada",
            Status = LeadStatus.Contacted,
            Version = 3,
            CreatedAt = Now - TimeSpan.FromDays(2),
            UpdatedAt = Now - TimeSpan.FromHours(1),
            Routing = new RoutingDecision("sales", "sdr-1", "intro", "default", "test"),
            Nurture = new NurtureState("intro", 1, Now - TimeSpan.FromHours(1), NurtureOutcome.Sent, "step 1 sent") { NextStepDueAt = nextStepDue },
        };
        Assert.True(await services.GetRequiredService<ILeadRepository>().TryAddAsync(lead));
        return lead;
    }

    private static async Task<Lead> GetAsync(IServiceProvider services, Lead lead) =>
        await services.GetRequiredService<ILeadRepository>().GetAsync(lead.Id) ?? throw new InvalidOperationException("The lead is gone.");
}
