using Microsoft.Extensions.Time.Testing;
using Aicmo.Sdk.Domain;
using Aicmo.Sdk.Tests.Support;
using Aicmo.Sdk.Nurture;
using Aicmo.Sdk.Pipeline;
using Aicmo.Sdk.Stages;
using Aicmo.Sdk.Storage;
using Aicmo.Sdk.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Aicmo.Sdk.Tests.Nurture;

/// <summary>A nurture pass isolates each lead, pages by key, lets a stop stored meanwhile win, and never sends a key twice.</summary>
public sealed class NurtureServiceIsolationTests : IAsyncDisposable
{
    private readonly FakeTimeProvider _time = new(TestLeads.Now);
    private readonly RecordingEmailSender _sender = new();
    private readonly ServiceProvider _provider;

    public NurtureServiceIsolationTests()
    {
        var services = new ServiceCollection();
        services.AddAicmoPipeline(o =>
            {
                // Retry delays run on the injected clock, which only these tests move: no delay between attempts.
                o.Retry.BaseDelay = TimeSpan.Zero;
                o.Retry.MaxDelay = TimeSpan.Zero;
                o.Retry.UseJitter = false;
                o.StageParallelism[StageNames.Nurture] = 16;
                o.Nurture.Sequences["intro"] = new NurtureSequence
                {
                    Steps =
                    {
                        new NurtureStep { Subject = "One", Template = "1" },
                        new NurtureStep { Delay = TimeSpan.FromDays(1), Subject = "Two", Template = "2" },
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

    // A routed lead whose first step is due now.
    private async Task<Lead> DueAsync(int i)
    {
        var email = $"person{i}@company{i % 7}.io";
        var lead = EmailNurturerSequenceTests.Routed(l =>
        {
            l.Email = email;
            l.IdentityKey = "e:" + email;
            l.TimeZone = "UTC";
        });
        lead.Nurture = new NurtureState("intro", 0, null, NurtureOutcome.Scheduled, "step 1 is due") { NextStepDueAt = TestLeads.Now };
        Assert.True(await Leads.TryAddAsync(lead));
        return lead;
    }

    [Fact]
    public async Task ProcessDueAsync_OneLeadsSendAlwaysThrows_EveryOtherLeadIsSentAndTheFailureIsRecorded()
    {
        var bad = await DueAsync(0);
        for (var i = 1; i < 6; i++)
        {
            await DueAsync(i);
        }

        _sender.FailWith = m => m.To == bad.Email ? new InvalidOperationException("the relay closed the connection") : null;

        var pass = await Service.ProcessDueAsync("test");

        Assert.Equal((6, 5, 1), (pass.Examined, pass.Sent, pass.Failed));
        Assert.Equal(5, _sender.Count);
        var stored = (await Leads.GetAsync(bad.Id))!;
        Assert.Equal(LeadStatus.Routed, stored.Status);
        Assert.Equal((NurtureOutcome.Failed, 1), (stored.Nurture!.Outcome, stored.Nurture.FailedAttempts));
        Assert.Contains("the relay closed the connection", stored.Nurture.Reason, StringComparison.Ordinal);
        Assert.Equal(TestLeads.Now + new EmailNurturerOptions().FailedSendRetryDelay, stored.Nurture.NextStepDueAt);
    }

    [Fact]
    public async Task ProcessDueAsync_StepFailsInEveryPass_LeadIsQuarantinedAfterTheConfiguredNumberOfPasses()
    {
        var lead = await DueAsync(1);
        _sender.FailWith = _ => new EmailDeliveryException(EmailDeliveryFailure.Permanent, "554 5.7.1 refused by policy");
        var passes = new List<NurtureBatchResult>();

        for (var i = 0; i < 4; i++)
        {
            passes.Add(await Service.ProcessDueAsync("test"));
            _time.Advance(new EmailNurturerOptions().FailedSendRetryDelay);
        }

        Assert.Equal([1, 1, 0, 0], passes.Select(p => p.Failed));
        Assert.Equal([0, 0, 1, 0], passes.Select(p => p.Quarantined));
        var stored = (await Leads.GetAsync(lead.Id))!;
        Assert.Equal(LeadStatus.Quarantined, stored.Status);
        Assert.Equal(StageNames.Nurture, stored.Fault!.Stage);
        Assert.Contains("554 5.7.1 refused by policy", stored.Fault.Message, StringComparison.Ordinal);
        Assert.Equal(0, _sender.Count);
    }

    [Fact]
    public async Task ProcessDueAsync_TransientErrorThenSuccess_IsRetriedWithinThePassAndSentOnce()
    {
        var lead = await DueAsync(2);
        var failures = 0;
        _sender.FailWith = _ => Interlocked.Increment(ref failures) <= 2 ? new EmailDeliveryException(EmailDeliveryFailure.Transient, "421 busy") : null;

        var pass = await Service.ProcessDueAsync("test");

        Assert.Equal(1, pass.Sent);
        Assert.Equal(1, _sender.SendsPerKey[new OutboxKey(lead.Id, "intro", 1).IdempotencyKey]);
    }

    [Fact]
    public async Task ProcessDueAsync_MoreDueLeadsThanAPageWhileTheirStatesChange_ReachesEveryLeadExactlyOnce()
    {
        for (var i = 0; i < 1_234; i++)
        {
            await DueAsync(i);
        }

        var pass = await Service.ProcessDueAsync("test");

        Assert.Equal(1_234, pass.Sent);
        Assert.Equal(1_234, _sender.Count);
        Assert.Empty(_sender.DuplicateKeys);
        Assert.Equal(1_234, await Leads.CountAsync("test", LeadStatus.Contacted));
    }

    [Fact]
    public async Task ProcessDueAsync_SeveralPassesAtOnceWithASlowSender_SendEveryKeyOnce()
    {
        for (var i = 0; i < 60; i++)
        {
            await DueAsync(i);
        }

        _sender.Latency = TimeSpan.FromMilliseconds(30);

        var passes = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() => Service.ProcessDueAsync("test"))));

        Assert.Equal(60, _sender.Count);
        Assert.Empty(_sender.DuplicateKeys);
        Assert.Equal(60, await Leads.CountAsync("test", LeadStatus.Contacted));
        Assert.Equal(60, passes.Sum(p => p.Sent));
    }

    [Fact]
    public async Task ProcessDueAsync_ReplyStoredAfterThePageWasRead_NothingIsSent()
    {
        var lead = await DueAsync(3);
        var leads = new ReplyAfterQuery(Leads, _provider.GetRequiredService<IAuditLog>());
        var service = new NurtureService(
            _provider.GetRequiredService<ILeadNurturer>(), leads, _provider.GetRequiredService<ISuppressionList>(),
            _provider.GetRequiredService<IAuditLog>(), _time,
            _provider.GetRequiredService<IOptions<NurtureServiceOptions>>(), _provider.GetRequiredService<IOptions<EmailNurturerOptions>>());

        var pass = await service.ProcessDueAsync("test");

        Assert.Equal(0, _sender.Count);
        Assert.Equal(1, pass.Stopped);
        Assert.Equal(LeadStatus.Replied, (await Leads.GetAsync(lead.Id))!.Status);
    }

    /// <summary>A store where each lead listed replies (its reply is stored) right after the page is read.</summary>
    private sealed class ReplyAfterQuery(ILeadRepository inner, IAuditLog audit) : ILeadRepository
    {
        public async ValueTask<IReadOnlyList<Lead>> QueryAsync(LeadQuery query, CancellationToken cancellationToken = default)
        {
            var page = await inner.QueryAsync(query, cancellationToken);
            foreach (var listed in page)
            {
                var lead = (await inner.GetAsync(listed.Id, cancellationToken))!;
                var expected = lead.Version;
                lead.TransitionTo(LeadStatus.Contacted, TestLeads.Now);
                lead.TransitionTo(LeadStatus.Replied, TestLeads.Now);
                Assert.True(await inner.UpdateAsync(lead, expected, cancellationToken));
                await audit.AppendAsync(new AuditEvent(lead.Id, lead.CampaignId, Guid.Empty, lead.Version, "reply", LeadStatus.Contacted, LeadStatus.Replied, "replied", TestLeads.Now), cancellationToken);
            }

            return page;
        }

        public ValueTask<bool> TryAddAsync(Lead lead, CancellationToken cancellationToken = default) => inner.TryAddAsync(lead, cancellationToken);

        public ValueTask<bool> UpdateAsync(Lead lead, long expectedVersion, CancellationToken cancellationToken = default) => inner.UpdateAsync(lead, expectedVersion, cancellationToken);

        public ValueTask<Lead?> GetAsync(Guid leadId, CancellationToken cancellationToken = default) => inner.GetAsync(leadId, cancellationToken);

        public ValueTask<Lead?> FindByIdentityAsync(string campaignId, string identityKey, CancellationToken cancellationToken = default) =>
            inner.FindByIdentityAsync(campaignId, identityKey, cancellationToken);

        public ValueTask<long> CountAsync(string campaignId, LeadStatus? status = null, CancellationToken cancellationToken = default) =>
            inner.CountAsync(campaignId, status, cancellationToken);

        public ValueTask<IReadOnlyList<Lead>> ListByRunAsync(LeadRunQuery query, CancellationToken cancellationToken = default) =>
            inner.ListByRunAsync(query, cancellationToken);
    }
}
