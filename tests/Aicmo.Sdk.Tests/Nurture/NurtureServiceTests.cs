using Aicmo.Sdk.Domain;
using Aicmo.Sdk.Tests.Support;
using Aicmo.Sdk.Nurture;
using Aicmo.Sdk.Pipeline;
using Aicmo.Sdk.Storage;
using Aicmo.Sdk.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Aicmo.Sdk.Tests.Nurture;

public sealed class NurtureServiceTests : IAsyncDisposable
{
    private readonly FakeTimeProvider _time = new(TestLeads.Now);
    private readonly RecordingEmailSender _sender = new();
    private readonly ServiceProvider _provider;

    public NurtureServiceTests()
    {
        var services = new ServiceCollection();
        services.AddAicmoPipeline(o =>
            {
                o.Nurture.Sequences["intro"] = new NurtureSequence
                {
                    Steps =
                    {
                        new NurtureStep { Subject = "One", Template = "1" },
                        new NurtureStep { Delay = TimeSpan.FromDays(1), Subject = "Two", Template = "2" },
                        new NurtureStep { Delay = TimeSpan.FromDays(1), Subject = "Three", Template = "3" },
                    },
                };
            })
            .AddEmailSender(_sender)
            .UseTimeProvider(_time);
        _provider = services.BuildServiceProvider();
    }

    private NurtureService Service => _provider.GetRequiredService<NurtureService>();

    private ILeadRepository Leads => _provider.GetRequiredService<ILeadRepository>();

    public ValueTask DisposeAsync() => _provider.DisposeAsync();

    private async Task<Lead> ContactedAsync(string email = "ada@analytical.io")
    {
        var lead = EmailNurturerSequenceTests.Routed(l => { l.Email = email; l.IdentityKey = "e:" + email; });
        lead.Nurture = await _provider.GetRequiredService<Aicmo.Sdk.Stages.ILeadNurturer>().NurtureAsync(lead, TestLeads.Context(_time), default);
        lead.TransitionTo(LeadStatus.Contacted, _time.GetUtcNow());
        Assert.True(await Leads.TryAddAsync(lead));
        return lead;
    }

    [Fact]
    public async Task ProcessDueAsync_SendsEachStepWhenDue_UntilTheSequenceEnds()
    {
        var lead = await ContactedAsync();

        Assert.Equal(0, (await Service.ProcessDueAsync("test")).Examined);
        _time.Advance(TimeSpan.FromDays(1));
        Assert.Equal(1, (await Service.ProcessDueAsync("test")).Sent);
        _time.Advance(TimeSpan.FromDays(1));
        Assert.Equal(1, (await Service.ProcessDueAsync("test")).Sent);
        _time.Advance(TimeSpan.FromDays(10));
        Assert.Equal(0, (await Service.ProcessDueAsync("test")).Examined);

        Assert.Equal(["One", "Two", "Three"], _sender.Sent.Select(m => m.Subject));
        var stored = (await Leads.GetAsync(lead.Id))!;
        Assert.Equal((LeadStatus.Contacted, 3), (stored.Status, stored.Nurture!.LastStep));
        var trail = await _provider.GetRequiredService<IAuditLog>().ReadAsync(lead.Id);
        Assert.Equal(2, trail.Count(e => e.Reason.StartsWith("step ", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task StopAsync_Reply_EndsTheSequence()
    {
        var lead = await ContactedAsync();

        Assert.True(await Service.StopAsync(lead.Id, NurtureStopReason.Reply));
        _time.Advance(TimeSpan.FromDays(5));
        await Service.ProcessDueAsync("test");

        Assert.Equal(1, _sender.Count);
        var stored = (await Leads.GetAsync(lead.Id))!;
        Assert.Equal(LeadStatus.Replied, stored.Status);
        Assert.Equal(NurtureOutcome.Stopped, stored.Nurture!.Outcome);
    }

    [Theory]
    [InlineData(NurtureStopReason.Unsubscribe, SuppressionReason.Unsubscribed, LeadStatus.Unsubscribed)]
    [InlineData(NurtureStopReason.Bounce, SuppressionReason.Bounced, LeadStatus.Bounced)]
    [InlineData(NurtureStopReason.Complaint, SuppressionReason.Complained, LeadStatus.Unsubscribed)]
    public async Task StopAsync_SuppressingEvents_SuppressTheAddressEverywhere(NurtureStopReason reason, SuppressionReason suppression, LeadStatus status)
    {
        var lead = await ContactedAsync();

        await Service.StopAsync(lead.Id, reason);

        var entry = await _provider.GetRequiredService<ISuppressionList>().GetAsync("ADA@analytical.io");
        Assert.Equal(suppression, entry!.Reason);
        Assert.Equal(status, (await Leads.GetAsync(lead.Id))!.Status);
        _time.Advance(TimeSpan.FromDays(5));
        await Service.ProcessDueAsync("test");
        Assert.Equal(1, _sender.Count);
    }

    [Fact]
    public async Task ProcessDueAsync_SuppressedSinceTheLastStep_IsNotSentAndLeavesTheSequence()
    {
        var lead = await ContactedAsync();
        await _provider.GetRequiredService<ISuppressionList>().AddAsync(new SuppressionEntry("ada@analytical.io", SuppressionReason.Manual, TestLeads.Now));

        _time.Advance(TimeSpan.FromDays(1));
        var pass = await Service.ProcessDueAsync("test");

        Assert.Equal(1, pass.Suppressed);
        Assert.Equal(1, _sender.Count);
        Assert.Equal(LeadStatus.Unsubscribed, (await Leads.GetAsync(lead.Id))!.Status);
    }

    [Fact]
    public async Task Pipeline_DryRun_RecordsEverySendAndSendsNothing()
    {
        var sender = new RecordingEmailSender();
        var services = new ServiceCollection();
        services.AddAicmoPipeline(o => o.DryRun = true).AddLeadSource(new SyntheticLeadSource(500, seed: 5)).AddEmailSender(sender).UseTimeProvider(_time);
        await using var provider = services.BuildServiceProvider();

        var result = await provider.GetRequiredService<ILeadPipeline>().RunAsync(new PipelineRunRequest { CampaignId = "dry" });

        Assert.True(result.IsBalanced);
        Assert.Equal(0, result.Contacted);
        Assert.True(result.Routed > 0);
        Assert.Equal(0, sender.Count);
        var recorded = await provider.GetRequiredService<IEmailOutbox>().ListAsync(OutboxStatus.DryRun, 0, 1000);
        Assert.Equal(result.Routed, recorded.Count);
    }
}
