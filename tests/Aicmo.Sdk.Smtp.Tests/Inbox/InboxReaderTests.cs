using Microsoft.Extensions.Time.Testing;
using Aicmo.Sdk.Domain;
using Aicmo.Sdk.Smtp.Inbox;
using Aicmo.Sdk.Smtp.Inbox.Internal;
using Aicmo.Sdk.Smtp.Internal;
using Aicmo.Sdk.Smtp.Tests.Sending;
using Aicmo.Sdk.Smtp.Tests.Support;
using Aicmo.Sdk.Storage;
using Aicmo.Sdk.Testing;
using Aicmo.Sdk.Testing.Contracts;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Aicmo.Sdk.Smtp.Tests.Inbox;

[SkipWithoutImap]
public sealed class InboxReaderTests : IAsyncDisposable
{
    private const string Domain = "mail.example.com";
    private static readonly DateTimeOffset Now = new(2026, 12, 6, 6, 0, 0, TimeSpan.Zero);
    private readonly FakeTimeProvider _time = new(Now);
    private ServiceProvider? _services;

    public async ValueTask DisposeAsync()
    {
        if (_services is not null)
        {
            await _services.DisposeAsync();
        }
    }

    [StoreFact]
    public async Task DeliveryFailureReport_MarksTheLeadBouncedAndSuppressed_AndIsReadOnce()
    {
        var lead = await AddLeadAsync();
        var folder = await ImapTestServer.CreateFolderWithAsync(SampleMessages.Bounce(OurId(lead), lead.Email!));
        var reader = Reader(folder);

        var first = await reader.ProcessInboxAsync();
        var second = await reader.ProcessInboxAsync();

        Assert.Equal(new InboxPassResult(Examined: 1, Bounced: 1, Stopped: 0, Paused: 0, Ignored: 0, Unmatched: 0), first);
        Assert.Equal(new InboxPassResult(0, 0, 0, 0, 0, 0), second);
        var stored = await StoredAsync(lead);
        Assert.Equal(LeadStatus.Bounced, stored.Status);
        Assert.Equal(ConsentState.Suppressed, stored.Consent);
        Assert.Null(stored.Nurture!.NextStepDueAt);
        var suppressed = await Services.GetRequiredService<ISuppressionList>().GetAsync(lead.Email!);
        Assert.Equal(SuppressionReason.Bounced, suppressed?.Reason);
        var (_, keywords) = Assert.Single(await ImapTestServer.ReadFolderAsync(folder));
        Assert.Contains("$AicmoProcessed", keywords);
    }

    [StoreFact]
    public async Task DelayReport_ChangesNothing()
    {
        var lead = await AddLeadAsync();
        var folder = await ImapTestServer.CreateFolderWithAsync(SampleMessages.Bounce(OurId(lead), lead.Email!, action: "delayed", status: "4.4.1"));

        var result = await Reader(folder).ProcessInboxAsync();

        Assert.Equal(new InboxPassResult(1, 0, 0, 0, Ignored: 1, 0), result);
        var stored = await StoredAsync(lead);
        Assert.Equal((LeadStatus.Contacted, lead.Version), (stored.Status, stored.Version));
    }

    [StoreFact]
    public async Task ReplyToAnEmailTheSmtpSenderSent_StopsTheLeadsSequence()
    {
        var lead = await AddLeadAsync();
        await using var smtp = new LoopbackSmtpServer();
        await using (var sender = SmtpEmailSenderTests.CreateSender(smtp.Port))
        {
            await sender.SendAsync(SmtpEmailSenderTests.Email(lead.Id, step: 1) with { To = lead.Email! }, CancellationToken.None);
        }

        var sentId = Assert.Single(smtp.Received).Message.MessageId!;
        var folder = await ImapTestServer.CreateFolderWithAsync(SampleMessages.Reply(sentId, earlierMessageId: "unrelated@example.net"));

        var result = await Reader(folder).ProcessInboxAsync();

        Assert.Equal(new InboxPassResult(1, 0, Stopped: 1, 0, 0, 0), result);
        var stored = await StoredAsync(lead);
        Assert.Equal(LeadStatus.Replied, stored.Status);
        Assert.Equal(NurtureOutcome.Stopped, stored.Nurture!.Outcome);
        Assert.Null(stored.Nurture.NextStepDueAt);
        Assert.NotEqual(ConsentState.Suppressed, stored.Consent);
    }

    [StoreFact]
    public async Task OutOfOfficeWithAReturnDate_PausesTheSequenceUntilThatDayInTheLeadsTimeZone()
    {
        var lead = await AddLeadAsync(timeZone: "Europe/Berlin");
        var folder = await ImapTestServer.CreateFolderWithAsync(SampleMessages.OutOfOffice(OurId(lead), "Thank you for your message. I am out of the office until 14 December 2026 and will reply when I am back."));

        var result = await Reader(folder).ProcessInboxAsync();

        Assert.Equal(new InboxPassResult(1, 0, 0, Paused: 1, 0, 0), result);
        var stored = await StoredAsync(lead);
        Assert.Equal(LeadStatus.Contacted, stored.Status);
        Assert.Equal(new DateTimeOffset(2026, 12, 15, 0, 0, 0, TimeSpan.FromHours(1)), stored.Nurture!.NextStepDueAt);
        Assert.Equal(lead.Version + 1, stored.Version);
        var trail = await Services.GetRequiredService<IAuditLog>().ReadAsync(lead.Id);
        var pause = Assert.Single(trail, e => e.Sequence == stored.Version);
        Assert.Equal("paused: out-of-office reply, back on 2026-12-15", pause.Reason);
    }

    [StoreFact]
    public async Task OutOfOfficeWithoutADate_PausesForTheDefaultPause()
    {
        var lead = await AddLeadAsync();
        var folder = await ImapTestServer.CreateFolderWithAsync(SampleMessages.OutOfOffice(OurId(lead), "I am travelling with limited access to email.", autoHeader: "X-Autoreply: yes"));

        var result = await Reader(folder, o => o.DefaultOutOfOfficePause = TimeSpan.FromDays(5)).ProcessInboxAsync();

        Assert.Equal(1, result.Paused);
        Assert.Equal(Now + TimeSpan.FromDays(5), (await StoredAsync(lead)).Nurture!.NextStepDueAt);
    }

    [StoreFact]
    public async Task OutOfOfficeEndingBeforeTheNextStep_ChangesNothing()
    {
        var lead = await AddLeadAsync(nextStepDue: Now + TimeSpan.FromDays(20));
        var folder = await ImapTestServer.CreateFolderWithAsync(SampleMessages.OutOfOffice(OurId(lead), "Back on 9 December."));

        var result = await Reader(folder).ProcessInboxAsync();

        Assert.Equal(1, result.Ignored);
        Assert.Equal(Now + TimeSpan.FromDays(20), (await StoredAsync(lead)).Nurture!.NextStepDueAt);
    }

    [StoreFact]
    public async Task MixedInbox_ActsOnEachKind_MovesWhatItActedOn_AndLeavesTheRestMarked()
    {
        var bounced = await AddLeadAsync();
        var replied = await AddLeadAsync();
        var away = await AddLeadAsync();
        var folder = await ImapTestServer.CreateFolderWithAsync(
            SampleMessages.Unrelated(),
            SampleMessages.PlainBounce(OurId(bounced)),
            SampleMessages.Reply(OurId(replied)),
            SampleMessages.OutOfOffice(OurId(away), "Back on Monday, 14 December."));
        var processed = folder + "-done";
        var reader = Reader(folder, o => o.ProcessedFolder = processed);

        var first = await reader.ProcessInboxAsync();
        var later = await AddLeadAsync();
        await ImapTestServer.AppendAsync(folder, SampleMessages.Reply(OurId(later)));
        var second = await reader.ProcessInboxAsync();

        Assert.Equal(new InboxPassResult(4, Bounced: 1, Stopped: 1, Paused: 1, Ignored: 0, Unmatched: 1), first);
        Assert.Equal(new InboxPassResult(1, 0, Stopped: 1, 0, 0, 0), second);
        Assert.Equal(LeadStatus.Bounced, (await StoredAsync(bounced)).Status);
        Assert.Equal(LeadStatus.Replied, (await StoredAsync(replied)).Status);
        Assert.Equal(LeadStatus.Replied, (await StoredAsync(later)).Status);
        Assert.Equal(new DateTimeOffset(2026, 12, 14, 0, 0, 0, TimeSpan.Zero), (await StoredAsync(away)).Nurture!.NextStepDueAt);
        var left = Assert.Single(await ImapTestServer.ReadFolderAsync(folder));
        Assert.Equal("Partnership proposal", left.Message.Subject);
        Assert.Contains("$AicmoProcessed", left.Keywords);
        Assert.Equal(4, (await ImapTestServer.ReadFolderAsync(processed)).Count);
    }

    [StoreFact]
    public async Task MoreMessagesThanTheBatchSize_AreReadOverSeveralPasses()
    {
        var leads = new[] { await AddLeadAsync(), await AddLeadAsync(), await AddLeadAsync() };
        var folder = await ImapTestServer.CreateFolderWithAsync(leads.Select(l => SampleMessages.Reply(OurId(l))).ToArray());
        var reader = Reader(folder, o => o.BatchSize = 2);

        var passes = new[] { await reader.ProcessInboxAsync(), await reader.ProcessInboxAsync(), await reader.ProcessInboxAsync() };

        Assert.Equal([2, 1, 0], passes.Select(p => p.Examined));
        foreach (var lead in leads)
        {
            Assert.Equal(LeadStatus.Replied, (await StoredAsync(lead)).Status);
        }
    }

    [StoreFact]
    public async Task HostedService_ReadsAtStartAndAgainAfterEachPollInterval()
    {
        var first = await AddLeadAsync();
        var folder = await ImapTestServer.CreateFolderWithAsync(SampleMessages.Reply(OurId(first)));
        Reader(folder, o =>
        {
            o.RunInBackground = true;
            o.PollInterval = TimeSpan.FromMinutes(5);
        });
        var service = Services.GetServices<IHostedService>().OfType<InboxReaderService>().Single();

        await service.StartAsync(CancellationToken.None);
        try
        {
            await WaitForAsync(async () => (await StoredAsync(first)).Status == LeadStatus.Replied);
            var second = await AddLeadAsync();
            await ImapTestServer.AppendAsync(folder, SampleMessages.Reply(OurId(second)));
            await Task.Delay(300);
            Assert.Equal(LeadStatus.Contacted, (await StoredAsync(second)).Status);

            // Advanced while waiting: the service may still be finishing its first pass before it starts to wait.
            await WaitForAsync(async () => (await StoredAsync(second)).Status == LeadStatus.Replied, () => _time.Advance(TimeSpan.FromMinutes(5)));
        }
        finally
        {
            await service.StopAsync(CancellationToken.None);
        }
    }

    private IServiceProvider Services => _services ?? throw new InvalidOperationException("Call Reader first.");

    // The options are read when the reader is first resolved, so each test configures them once, before that.
    private InboxReader Reader(string folder, Action<InboxReaderOptions>? configure = null)
    {
        _configure = o =>
        {
            o.Host = ImapTestServer.Host;
            o.Port = ImapTestServer.Port;
            o.Security = MailConnectionSecurity.None;
            o.UserName = ImapTestServer.User;
            o.Password = ImapTestServer.Password;
            o.Folder = folder;
            o.MessageIdDomain = Domain;
            o.RunInBackground = false;
            o.Timeout = TimeSpan.FromSeconds(10);
            configure?.Invoke(o);
        };
        return Services.GetRequiredService<InboxReader>();
    }

    private Action<InboxReaderOptions> _configure = static _ => { };

    private async Task<Lead> AddLeadAsync(string? timeZone = null, DateTimeOffset? nextStepDue = null)
    {
        _services ??= BuildServices();
        var email = $"lead-{Guid.NewGuid():N}@example.org";
        var lead = new Lead
        {
            Id = Guid.NewGuid(),
            CampaignId = "winter",
            IdentityKey = email,
            Source = "test",
            Email = email,
            FirstName = "Ada",
            TimeZone = timeZone,
            Status = LeadStatus.Contacted,
            Version = 3,
            CreatedAt = Now - TimeSpan.FromDays(2),
            UpdatedAt = Now - TimeSpan.FromHours(1),
            Nurture = new NurtureState("welcome", 1, Now - TimeSpan.FromHours(1), NurtureOutcome.Sent, "step 1 sent") { NextStepDueAt = nextStepDue ?? Now + TimeSpan.FromDays(2) },
        };
        Assert.True(await _services.GetRequiredService<ILeadRepository>().TryAddAsync(lead));
        return lead;
    }

    private ServiceProvider BuildServices()
    {
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(_time);
        services.AddAicmoPipeline().AddInboxReader(o => _configure(o));
        return services.BuildServiceProvider();
    }

    private async Task<Lead> StoredAsync(Lead lead) =>
        await Services.GetRequiredService<ILeadRepository>().GetAsync(lead.Id) ?? throw new InvalidOperationException("The lead is gone.");

    private static string OurId(Lead lead) => MessageIds.For(new OutboxKey(lead.Id, "welcome", 1), Domain);

    private static async Task WaitForAsync(Func<Task<bool>> condition, Action? meanwhile = null)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "The condition was not met within 15 seconds.");
            meanwhile?.Invoke();
            await Task.Delay(50);
        }
    }
}
