using Microsoft.Extensions.Time.Testing;
using Aicmo.Sdk.Domain;
using Aicmo.Sdk.Nurture;
using Aicmo.Sdk.Pipeline;
using Aicmo.Sdk.Stages;
using Aicmo.Sdk.Storage;
using Aicmo.Sdk.Testing;

namespace Aicmo.Sdk.Tests.Nurture;

/// <summary>Outbox claims: a step is sent by one attempt at a time, and only a claim that ran out is sent again (counted).</summary>
public class EmailNurturerClaimTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 2, 10, 0, 0, TimeSpan.Zero);

    private static StageContext Context(TimeProvider time) => new(Guid.NewGuid(), "c", StageNames.Nurture, time, dryRun: false);

    private static Lead RoutedLead(Guid? id = null, string sequence = "growth-intro") => new()
    {
        Id = id ?? Guid.NewGuid(),
        CampaignId = "c",
        FirstName = "Ada",
        LastName = "Lovelace",
        Email = "ada@acme.com",
        CompanyName = "Acme",
        Status = LeadStatus.Routed,
        Routing = new RoutingDecision("growth", "sdr-1", sequence, "growth", "score at or above 0.50"),
    };

    private static OutboxEntry Entry(OutboxKey key, OutboxStatus status, DateTimeOffset? claimExpiresAt) => new()
    {
        Key = key,
        CampaignId = "c",
        To = "ada@acme.com",
        Subject = "s",
        Status = status,
        CreatedAt = Now.AddMinutes(-30),
        ClaimOwner = "other-host/1/" + Guid.NewGuid().ToString("N"),
        ClaimExpiresAt = claimExpiresAt,
    };

    [Fact]
    public async Task NurtureAsync_LiveClaimHeldByAnotherAttempt_SendsNothingAndStaysDueUntilTheClaimExpires()
    {
        var sender = new RecordingEmailSender();
        var outbox = new InMemoryEmailOutbox();
        var lead = RoutedLead();
        await outbox.ReserveAsync(Entry(new OutboxKey(lead.Id, "growth-intro", 1), OutboxStatus.Pending, Now.AddMinutes(3)));
        var nurturer = new EmailNurturer(new EmailNurturerOptions(), outbox, new InMemorySuppressionList(), sender);

        var state = await nurturer.NurtureAsync(lead, Context(new FakeTimeProvider(Now)), CancellationToken.None);

        Assert.Equal(NurtureOutcome.Scheduled, state.Outcome);
        Assert.Equal(Now.AddMinutes(3), state.NextStepDueAt);
        Assert.Contains("being sent by another attempt", state.Reason, StringComparison.Ordinal);
        Assert.Equal(0, sender.Count);
    }

    [Fact]
    public async Task NurtureAsync_ClaimLeftByADeadProcessExpired_SendsOnceWithTheSameKeyAndCountsAPossibleDuplicate()
    {
        var sender = new RecordingEmailSender();
        var outbox = new InMemoryEmailOutbox();
        var lead = RoutedLead();
        var key = new OutboxKey(lead.Id, "growth-intro", 1);
        await outbox.ReserveAsync(Entry(key, OutboxStatus.Pending, Now.AddSeconds(-1)));
        var nurturer = new EmailNurturer(new EmailNurturerOptions(), outbox, new InMemorySuppressionList(), sender);

        var state = await nurturer.NurtureAsync(lead, Context(new FakeTimeProvider(Now)), CancellationToken.None);

        Assert.Equal(NurtureOutcome.Sent, state.Outcome);
        Assert.True(state.PossibleDuplicate);
        Assert.Contains("possible duplicate", state.Reason, StringComparison.Ordinal);
        Assert.Equal(1, sender.SendsPerKey[key.IdempotencyKey]);
        Assert.Equal(OutboxStatus.Sent, (await outbox.GetAsync(key))!.Status);
    }

    [Fact]
    public async Task NurtureAsync_FailedEntry_IsSentAgainWithoutBeingCountedAsADuplicate()
    {
        var sender = new RecordingEmailSender();
        var outbox = new InMemoryEmailOutbox();
        var lead = RoutedLead();
        var key = new OutboxKey(lead.Id, "growth-intro", 1);
        await outbox.ReserveAsync(Entry(key, OutboxStatus.Failed, Now.AddMinutes(3)));
        var nurturer = new EmailNurturer(new EmailNurturerOptions(), outbox, new InMemorySuppressionList(), sender);

        var state = await nurturer.NurtureAsync(lead, Context(new FakeTimeProvider(Now)), CancellationToken.None);

        Assert.Equal(NurtureOutcome.Sent, state.Outcome);
        Assert.False(state.PossibleDuplicate);
        Assert.Equal(1, sender.Count);
    }

    [Fact]
    public async Task NurtureAsync_MarkingTheSendFailsOnce_RetriesTheMarkNotTheSend()
    {
        var sender = new RecordingEmailSender();
        var outbox = new FlakyOutbox { MarkSentFailures = 1 };
        var lead = RoutedLead();
        var nurturer = new EmailNurturer(new EmailNurturerOptions(), outbox, new InMemorySuppressionList(), sender);

        var state = await nurturer.NurtureAsync(lead, Context(new FakeTimeProvider(Now)), CancellationToken.None);

        Assert.Equal(NurtureOutcome.Sent, state.Outcome);
        Assert.Equal(1, sender.Count);
        Assert.Equal(2, outbox.MarkSentCalls);
        Assert.Equal(OutboxStatus.Sent, (await outbox.GetAsync(new OutboxKey(lead.Id, "growth-intro", 1)))!.Status);
    }

    [Fact]
    public async Task NurtureAsync_MarkingTheSendNeverSucceeds_NoLaterAttemptSendsAgainWhileTheClaimLives()
    {
        var sender = new RecordingEmailSender();
        var outbox = new FlakyOutbox { MarkSentFailures = int.MaxValue };
        var id = Guid.NewGuid();
        var nurturer = new EmailNurturer(new EmailNurturerOptions(), outbox, new InMemorySuppressionList(), sender);
        var time = new FakeTimeProvider(Now);

        var first = await nurturer.NurtureAsync(RoutedLead(id), Context(time), CancellationToken.None);
        time.Advance(TimeSpan.FromMinutes(1));
        var second = await nurturer.NurtureAsync(RoutedLead(id), Context(time), CancellationToken.None);

        Assert.Equal(NurtureOutcome.Sent, first.Outcome);
        Assert.Contains("recording it in the outbox failed", first.Reason, StringComparison.Ordinal);
        Assert.Equal(NurtureOutcome.Scheduled, second.Outcome);
        Assert.Equal(1, sender.Count);
    }

    [Fact]
    public async Task NurtureAsync_ManyConcurrentAttemptsForOneLeadWithASlowSender_SendTheStepOnce()
    {
        var sender = new RecordingEmailSender { Latency = TimeSpan.FromMilliseconds(200) };
        var outbox = new InMemoryEmailOutbox();
        var id = Guid.NewGuid();
        var nurturer = new EmailNurturer(new EmailNurturerOptions(), outbox, new InMemorySuppressionList(), sender);
        var time = new FakeTimeProvider(Now);

        var states = await Task.WhenAll(Enumerable.Range(0, 16).Select(_ => Task.Run(async () =>
            await nurturer.NurtureAsync(RoutedLead(id), Context(time), CancellationToken.None))));

        Assert.Equal(1, sender.Count);
        Assert.Empty(sender.DuplicateKeys);
        Assert.Single(states, s => s.Outcome == NurtureOutcome.Sent);
        Assert.All(states.Where(s => s.Outcome != NurtureOutcome.Sent), s => Assert.True(s.Outcome is NurtureOutcome.Scheduled or NurtureOutcome.AlreadySent, s.Reason));
    }

    [Fact]
    public async Task NurtureAsync_LeadAlreadyMailedInAnotherSequence_KeepsThatSequenceAndSendsNothingNew()
    {
        var sender = new RecordingEmailSender();
        var outbox = new InMemoryEmailOutbox();
        var id = Guid.NewGuid();
        var nurturer = new EmailNurturer(new EmailNurturerOptions(), outbox, new InMemorySuppressionList(), sender);
        var time = new FakeTimeProvider(Now);
        await nurturer.NurtureAsync(RoutedLead(id, "smb-intro"), Context(time), CancellationToken.None);

        // Processed again after a crash, the lead is routed to another sequence this time.
        var again = await nurturer.NurtureAsync(RoutedLead(id, "enterprise-intro"), Context(time), CancellationToken.None);

        Assert.Equal(NurtureOutcome.AlreadySent, again.Outcome);
        Assert.Equal("smb-intro", again.Sequence);
        Assert.Equal(1, sender.Count);
        Assert.Null(await outbox.GetAsync(new OutboxKey(id, "enterprise-intro", 1)));
    }

    [Fact]
    public async Task NurtureAsync_TransportRefusesPermanently_TheStepFailsWithTheServersTextAndStaysDue()
    {
        var sender = new RecordingEmailSender { FailWith = _ => new EmailDeliveryException(EmailDeliveryFailure.Permanent, "554 5.7.1 message refused") };
        var outbox = new InMemoryEmailOutbox();
        var lead = RoutedLead();
        var nurturer = new EmailNurturer(new EmailNurturerOptions(), outbox, new InMemorySuppressionList(), sender);

        var state = await nurturer.NurtureAsync(lead, Context(new FakeTimeProvider(Now)), CancellationToken.None);

        Assert.Equal(NurtureOutcome.Failed, state.Outcome);
        Assert.Equal(1, state.FailedAttempts);
        Assert.Contains("554 5.7.1 message refused", state.Reason, StringComparison.Ordinal);
        Assert.Equal(Now + new EmailNurturerOptions().FailedSendRetryDelay, state.NextStepDueAt);
        Assert.Equal(OutboxStatus.Failed, (await outbox.GetAsync(new OutboxKey(lead.Id, "growth-intro", 1)))!.Status);
    }

    [Fact]
    public async Task NurtureAsync_TransportRejectsTheRecipient_TheLeadBounces()
    {
        var sender = new RecordingEmailSender { FailWith = _ => new EmailDeliveryException(EmailDeliveryFailure.RecipientRejected, "550 5.1.1 no such user") };
        var nurturer = new EmailNurturer(new EmailNurturerOptions(), new InMemoryEmailOutbox(), new InMemorySuppressionList(), sender);

        var state = await nurturer.NurtureAsync(RoutedLead(), Context(new FakeTimeProvider(Now)), CancellationToken.None);

        Assert.Equal(NurtureOutcome.Bounced, state.Outcome);
        Assert.Contains("550 5.1.1 no such user", state.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NurtureAsync_TransportRefusesForNow_ThrowsATransientErrorForTheStagesRetry()
    {
        var sender = new RecordingEmailSender { FailWith = _ => new EmailDeliveryException(EmailDeliveryFailure.Transient, "421 4.7.0 try again later") };
        var nurturer = new EmailNurturer(new EmailNurturerOptions(), new InMemoryEmailOutbox(), new InMemorySuppressionList(), sender);

        var error = await Assert.ThrowsAsync<TransientLeadException>(async () =>
            await nurturer.NurtureAsync(RoutedLead(), Context(new FakeTimeProvider(Now)), CancellationToken.None));

        Assert.Contains("421 4.7.0", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NurtureAsync_SendAndRecordingTheFailureBothFail_TheSendErrorIsReported()
    {
        var sender = new RecordingEmailSender { FailWith = _ => new EmailDeliveryException(EmailDeliveryFailure.Permanent, "554 the send's own error") };
        var outbox = new FlakyOutbox { MarkFailedThrows = true };
        var nurturer = new EmailNurturer(new EmailNurturerOptions(), outbox, new InMemorySuppressionList(), sender);

        var state = await nurturer.NurtureAsync(RoutedLead(), Context(new FakeTimeProvider(Now)), CancellationToken.None);

        Assert.Equal(NurtureOutcome.Failed, state.Outcome);
        Assert.Contains("554 the send's own error", state.Reason, StringComparison.Ordinal);
    }

    /// <summary>An in-memory outbox whose marks can be made to fail.</summary>
    private sealed class FlakyOutbox : IEmailOutbox
    {
        private readonly InMemoryEmailOutbox _inner = new();
        private int _markSentCalls;

        public int MarkSentFailures { get; init; }

        public bool MarkFailedThrows { get; init; }

        public int MarkSentCalls => Volatile.Read(ref _markSentCalls);

        public ValueTask<OutboxReservation> ReserveAsync(OutboxEntry entry, CancellationToken cancellationToken = default) => _inner.ReserveAsync(entry, cancellationToken);

        public ValueTask<OutboxEntry?> TryReclaimAsync(OutboxEntry seen, string owner, DateTimeOffset expiresAt, DateTimeOffset now, CancellationToken cancellationToken = default) =>
            _inner.TryReclaimAsync(seen, owner, expiresAt, now, cancellationToken);

        public ValueTask<string?> FindSequenceAsync(Guid leadId, CancellationToken cancellationToken = default) => _inner.FindSequenceAsync(leadId, cancellationToken);

        public ValueTask MarkSentAsync(OutboxKey key, string? providerMessageId, DateTimeOffset sentAt, CancellationToken cancellationToken = default) =>
            Interlocked.Increment(ref _markSentCalls) <= MarkSentFailures
                ? throw new IOException("the outbox store is unreachable")
                : _inner.MarkSentAsync(key, providerMessageId, sentAt, cancellationToken);

        public ValueTask MarkFailedAsync(OutboxKey key, string error, CancellationToken cancellationToken = default) =>
            MarkFailedThrows ? throw new IOException("the outbox store is unreachable") : _inner.MarkFailedAsync(key, error, cancellationToken);

        public ValueTask<OutboxEntry?> GetAsync(OutboxKey key, CancellationToken cancellationToken = default) => _inner.GetAsync(key, cancellationToken);

        public ValueTask<IReadOnlyList<OutboxEntry>> ListAsync(OutboxStatus? status = null, int skip = 0, int take = 100, CancellationToken cancellationToken = default) =>
            _inner.ListAsync(status, skip, take, cancellationToken);
    }
}
