using System.Globalization;
using Aicmo.Sdk.Diagnostics;
using Aicmo.Sdk.Domain;
using Aicmo.Sdk.Identity;
using Aicmo.Sdk.Stages;
using Aicmo.Sdk.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Polly;
using Polly.Retry;

namespace Aicmo.Sdk.Nurture;

/// <summary>
/// The default nurturer: sends the next due step of the lead's sequence through <see cref="IEmailOutbox"/> and
/// <see cref="IEmailSender"/>. A step goes out only when it is due, inside the recipient's sending window, within the
/// mailbox and recipient-domain throttles, to an address not on the suppression list, with no control character or line separator in any header;
/// otherwise the lead gets a <see cref="NurtureOutcome.Scheduled"/> state saying when to try again, or a reason.
/// </summary>
/// <remarks>
/// Every send is keyed by (lead, sequence, step) in the outbox and the key is the sender's idempotency key: a step already
/// marked sent is never sent again, however often the stage or <see cref="NurtureService.ProcessDueAsync"/> runs for the lead.
/// Time comes only from the stage context's <see cref="TimeProvider"/>.
/// </remarks>
public sealed partial class EmailNurturer : ILeadNurturer
{
    private const string UnsubscribeLine = "\n\nUnsubscribe: ";
    private static readonly string[] OutcomeTags = Enum.GetNames<NurtureOutcome>().Select(n => n.ToLowerInvariant()).ToArray();
    private readonly EmailNurturerOptions _options;
    private readonly IEmailOutbox _outbox;
    private readonly ISuppressionList _suppression;
    private readonly IEmailSender? _sender;
    private readonly Dictionary<string, CompiledSequence> _sequences;
    private readonly CompiledSequence _fallbackSequence;
    private readonly SendingWindow _window;
    private readonly SendThrottle _throttle;
    private readonly TimeZoneInfo _defaultZone;
    private readonly UnsubscribeLink _unsubscribe;
    private readonly ILogger _logger;
    private readonly SuppressionHasher _hasher;

    // Names the host and process in every claim this nurturer takes; each attempt adds a unique suffix.
    private readonly string _ownerPrefix = $"{Environment.MachineName}/{Environment.ProcessId}/";

    // Recording a send that went out is retried on its own: the send itself is never repeated for it.
    private static readonly ResiliencePipeline MarkSentPipeline = new ResiliencePipelineBuilder()
        .AddRetry(new RetryStrategyOptions
        {
            MaxRetryAttempts = 4,
            Delay = TimeSpan.FromMilliseconds(50),
            BackoffType = DelayBackoffType.Exponential,
            UseJitter = true,
            ShouldHandle = new PredicateBuilder().Handle<Exception>(static e => e is not OperationCanceledException and not OutOfMemoryException),
        })
        .Build();

    // The built-in renderer only looks fields up, so it gets a model that resolves them on demand.
    private readonly bool _lookupOnlyRenderer;

    /// <summary>Initializes a new instance of the <see cref="EmailNurturer"/> class with the services of the host.</summary>
    /// <param name="options">The nurturer options, validated when the host starts.</param>
    /// <param name="outbox">The outbox.</param>
    /// <param name="suppression">The suppression list.</param>
    /// <param name="sender">The transport, or <see langword="null"/> when none is registered (then only dry runs are made).</param>
    /// <param name="renderer">The template renderer; <see cref="PlaceholderTemplateRenderer"/> when none is registered.</param>
    /// <param name="logger">The logger, or <see langword="null"/> for none.</param>
    /// <param name="suppressionHasher">The hashed forms erased addresses are kept under; plain SHA-256 when none is registered.</param>
    /// <param name="limits">
    /// Where the mailbox and recipient-domain throttles are counted (the store's counters, shared by every process on it), or
    /// <see langword="null"/> to count in this nurturer alone.
    /// </param>
    /// <exception cref="ArgumentException">A template is not valid; the message names it.</exception>
    [ActivatorUtilitiesConstructor]
    public EmailNurturer(
        IOptions<EmailNurturerOptions> options,
        IEmailOutbox outbox,
        ISuppressionList suppression,
        IEmailSender? sender = null,
        ITemplateRenderer? renderer = null,
        ILogger<EmailNurturer>? logger = null,
        SuppressionHasher? suppressionHasher = null,
        ILimitCounters? limits = null)
        : this((options ?? throw new ArgumentNullException(nameof(options))).Value, outbox, suppression, sender, renderer, logger, suppressionHasher, limits, validate: false)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="EmailNurturer"/> class.</summary>
    /// <param name="options">The nurturer options.</param>
    /// <param name="outbox">The outbox.</param>
    /// <param name="suppression">The suppression list.</param>
    /// <param name="sender">The transport, or <see langword="null"/> when only dry runs are made.</param>
    /// <param name="renderer">The template renderer; <see cref="PlaceholderTemplateRenderer"/> when omitted.</param>
    /// <param name="logger">The logger, or <see langword="null"/> for none.</param>
    /// <param name="suppressionHasher">The hashed forms erased addresses are kept under; plain SHA-256 when omitted.</param>
    /// <param name="limits">
    /// Where the mailbox and recipient-domain throttles are counted (the store's counters, shared by every process on it), or
    /// <see langword="null"/> to count in this nurturer alone.
    /// </param>
    /// <exception cref="ArgumentException">An option or a template is not valid; the message names it.</exception>
    public EmailNurturer(
        EmailNurturerOptions options,
        IEmailOutbox outbox,
        ISuppressionList suppression,
        IEmailSender? sender,
        ITemplateRenderer? renderer = null,
        ILogger<EmailNurturer>? logger = null,
        SuppressionHasher? suppressionHasher = null,
        ILimitCounters? limits = null)
        : this(options, outbox, suppression, sender, renderer, logger, suppressionHasher, limits, validate: true)
    {
    }

    // The options a host registers are validated on start, by their own validator; options handed in directly are validated here.
    private EmailNurturer(
        EmailNurturerOptions options,
        IEmailOutbox outbox,
        ISuppressionList suppression,
        IEmailSender? sender,
        ITemplateRenderer? renderer,
        ILogger<EmailNurturer>? logger,
        SuppressionHasher? suppressionHasher,
        ILimitCounters? limits,
        bool validate)
    {
        _hasher = suppressionHasher ?? SuppressionHasher.Unkeyed;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        _options = options ?? throw new ArgumentNullException(nameof(options));
        _outbox = outbox ?? throw new ArgumentNullException(nameof(outbox));
        _suppression = suppression ?? throw new ArgumentNullException(nameof(suppression));
        _sender = sender;
        IReadOnlyList<string> failures = validate ? options.Validate() : [];
        if (failures.Count > 0)
        {
            throw new ArgumentException(string.Join(" ", failures), nameof(options));
        }

        renderer ??= PlaceholderTemplateRenderer.Instance;
        _lookupOnlyRenderer = renderer is PlaceholderTemplateRenderer;
        _fallbackSequence = new CompiledSequence(
            options.FromAddress,
            options.FromName,
            [new CompiledStep(TimeSpan.Zero, Compile(renderer, options.SubjectTemplate, "SubjectTemplate"), Compile(renderer, options.BodyTemplate, "BodyTemplate"), options.BodyTemplate.Contains("UnsubscribeUrl", StringComparison.Ordinal))]);
        _sequences = new Dictionary<string, CompiledSequence>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, sequence) in options.Sequences)
        {
            var steps = sequence.Steps.Select((s, i) => new CompiledStep(
                s.Delay,
                Compile(renderer, s.Subject, $"Sequences[\"{name}\"].Steps[{i}].Subject"),
                Compile(renderer, s.Template, $"Sequences[\"{name}\"].Steps[{i}].Template"),
                s.Template.Contains("UnsubscribeUrl", StringComparison.Ordinal))).ToArray();
            _sequences[name] = new CompiledSequence(sequence.FromAddress ?? options.FromAddress, sequence.FromName ?? options.FromName, steps);
        }

        _window = new SendingWindow(options.SendingWindow);
        _throttle = new SendThrottle(options, limits);
        _defaultZone = TimeZoneInfo.FindSystemTimeZoneById(options.DefaultTimeZone);
        _unsubscribe = new UnsubscribeLink(
            options.UnsubscribeUrlTemplate, options.CreateUnsubscribeSigner(), options.UnsubscribeTokenLifetime);
    }

    /// <inheritdoc />
    public async ValueTask<NurtureState> NurtureAsync(Lead lead, StageContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lead);
        ArgumentNullException.ThrowIfNull(context);
        var state = await NurtureCoreAsync(lead, context, cancellationToken).ConfigureAwait(false);
        if (AicmoDiagnostics.Sends.Enabled)
        {
            AicmoDiagnostics.Sends.Add(1, new KeyValuePair<string, object?>("outcome", OutcomeTags[(int)state.Outcome]));
        }

        return state;
    }

    private async ValueTask<NurtureState> NurtureCoreAsync(Lead lead, StageContext context, CancellationToken cancellationToken)
    {
        var routing = lead.Routing ?? throw new InvalidOperationException("The lead has no routing decision; nurture runs after routing.");
        var name = routing.Sequence;
        if (lead.Nurture is null && await _outbox.FindSequenceAsync(lead.Id, cancellationToken).ConfigureAwait(false) is { } mailedIn &&
            !string.Equals(mailedIn, name, StringComparison.OrdinalIgnoreCase))
        {
            // Processed again after a crash and routed anew: the lead keeps the sequence it was already mailed in, so a
            // different routing answer cannot start another sequence whose step 1 would be a second first email.
            name = mailedIn;
        }

        var sequence = _sequences.TryGetValue(name, out var configured) ? configured : _fallbackSequence;
        var now = context.TimeProvider.GetUtcNow();
        var previous = lead.Nurture is { } n && string.Equals(n.Sequence, name, StringComparison.OrdinalIgnoreCase) ? n : null;
        var lastStep = previous?.LastStep ?? 0;
        var lastSentAt = previous?.LastSentAt;

        if (lead.Status is LeadStatus.Replied or LeadStatus.Converted or LeadStatus.Unsubscribed or LeadStatus.Bounced)
        {
            return new NurtureState(name, lastStep, lastSentAt, NurtureOutcome.Stopped, $"sequence stopped: the lead is {lead.Status.ToString().ToLowerInvariant()}");
        }

        if (lastStep >= sequence.Steps.Length)
        {
            return new NurtureState(name, lastStep, lastSentAt, NurtureOutcome.Stopped, "sequence complete");
        }

        var step = lastStep + 1;
        var definition = sequence.Steps[step - 1];
        var due = previous?.NextStepDueAt ?? (lastSentAt ?? now) + definition.Delay;
        if (due > now)
        {
            return Scheduled(previous, name, lastStep, lastSentAt, due, $"step {step} is due at {Format(due)}");
        }

        var to = LeadIdentity.NormalizeEmail(lead.Email);
        if (to is null || !EmailAddress.IsValid(to))
        {
            return new NurtureState(name, lastStep, lastSentAt, NurtureOutcome.Rejected, "no valid recipient address");
        }

        var zone = ZoneOf(lead);
        var opening = _window.NextOpening(now, zone);
        if (opening > now)
        {
            return Scheduled(previous, name, lastStep, lastSentAt, opening,
                $"outside the sending window in {zone.Id}; step {step} postponed to {Format(opening)} ({TimeZoneInfo.ConvertTime(opening, zone).ToString("ddd HH:mm", CultureInfo.InvariantCulture)} local)");
        }

        // Also finds an address erased on request, kept only hashed, so it is never mailed again even when harvested anew.
        var suppressed = await _suppression.FindAsync(to, _hasher, cancellationToken).ConfigureAwait(false);
        if (suppressed is not null)
        {
            return new NurtureState(name, lastStep, lastSentAt, NurtureOutcome.Suppressed, "recipient suppressed: " + suppressed.Reason.ToString().ToLowerInvariant());
        }

        var message = Render(lead, to, routing, name, sequence, definition, step, now);
        if (FindUnsafeHeader(message) is { } unsafeHeader)
        {
            return new NurtureState(name, lastStep, lastSentAt, NurtureOutcome.Rejected, $"{unsafeHeader} contains a control character or a line or paragraph separator; nothing was sent");
        }

        var dryRun = context.DryRun || _sender is null;
        var existing = await _outbox.GetAsync(message.Key, cancellationToken).ConfigureAwait(false);
        if (existing is { Status: OutboxStatus.Sent })
        {
            return Done(name, step, sequence, existing.SentAt ?? now, NurtureOutcome.AlreadySent, $"step {step} was already sent");
        }

        if (existing is { Status: OutboxStatus.DryRun } && dryRun)
        {
            return Done(name, step, sequence, existing.CreatedAt, NurtureOutcome.DryRun, $"dry run: step {step} already recorded");
        }

        if (existing is not null && existing.IsClaimLive(now))
        {
            return HeldElsewhere(previous, name, lastStep, lastSentAt, step, existing, now);
        }

        if (context.WritesNothing)
        {
            // A dry run that changes nothing: the step that would go out now, with no outbox entry and no throttle slot taken.
            return Done(name, step, sequence, now, NurtureOutcome.DryRun, $"dry run: step {step} would be sent now; nothing was recorded");
        }

        var (acquired, retryAt, limit) = _throttle.Enabled
            ? await _throttle.TryAcquireAsync(message.FromAddress, EmailAddress.DomainOf(to).ToString(), now, cancellationToken).ConfigureAwait(false)
            : (true, now, null);
        if (!acquired)
        {
            return Scheduled(previous, name, lastStep, lastSentAt, retryAt, $"throttled: {limit}; step {step} postponed to {Format(retryAt)}");
        }

        var owner = _ownerPrefix + Guid.NewGuid().ToString("N");
        var entry = new OutboxEntry
        {
            Key = message.Key,
            CampaignId = lead.CampaignId,
            To = to,
            Subject = message.Subject,
            Status = dryRun ? OutboxStatus.DryRun : OutboxStatus.Pending,
            CreatedAt = now,
            ClaimOwner = dryRun ? null : owner,
            ClaimExpiresAt = dryRun ? null : now + _options.SendClaimTimeout,
        };
        var reservation = await _outbox.ReserveAsync(entry, cancellationToken).ConfigureAwait(false);
        var possibleDuplicate = false;
        if (!reservation.Created)
        {
            var stored = reservation.Entry;
            if (stored.Status == OutboxStatus.Sent)
            {
                return Done(name, step, sequence, stored.SentAt ?? now, NurtureOutcome.AlreadySent, $"step {step} was already sent");
            }

            if (dryRun)
            {
                return Done(name, step, sequence, now, NurtureOutcome.DryRun, StepReason(DryRunReasons, step, static s => $"dry run: step {s} recorded, not sent"));
            }

            if (stored.IsClaimLive(now))
            {
                // Someone else is sending this step right now: it stays due, and is looked at again when their claim runs out.
                return HeldElsewhere(previous, name, lastStep, lastSentAt, step, stored, now);
            }

            // A failed attempt, a dry run, or a claim that ran out: taken over with one compare-and-set.
            if (await _outbox.TryReclaimAsync(stored, owner, now + _options.SendClaimTimeout, now, cancellationToken).ConfigureAwait(false) is null)
            {
                return HeldElsewhere(previous, name, lastStep, lastSentAt, step, stored, now);
            }

            // A claim that expired while Pending belongs to an attempt that never confirmed its send: it may have reached
            // the transport. It is sent again with the same key (a provider that honours it drops the duplicate), and counted.
            possibleDuplicate = stored.Status == OutboxStatus.Pending;
        }
        else if (dryRun)
        {
            return Done(name, step, sequence, now, NurtureOutcome.DryRun, StepReason(DryRunReasons, step, static s => $"dry run: step {s} recorded, not sent"));
        }

        if (possibleDuplicate)
        {
            Log.PossibleDuplicateSend(_logger, message.IdempotencyKey, lead.CampaignId);
            if (AicmoDiagnostics.PossibleDuplicateSends.Enabled)
            {
                AicmoDiagnostics.PossibleDuplicateSends.Add(1);
            }
        }

        EmailSendResult result;
        try
        {
            result = await _sender!.SendAsync(message, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            try
            {
                await _outbox.MarkFailedAsync(message.Key, ex.GetType().Name + ": " + ex.Message, CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception markError)
            {
                // Recording the failure failed too: the claim runs out on its own; the send error is the one to report.
                Log.OutboxMarkFailed(_logger, markError, message.IdempotencyKey);
            }

            if (ex is not EmailDeliveryException delivery)
            {
                // The stage's resilience decides whether the transport's own error is worth another attempt.
                throw;
            }

            return delivery.Failure switch
            {
                EmailDeliveryFailure.Transient => throw new TransientLeadException($"The transport refused step {step} for now: {ex.Message}", ex),
                EmailDeliveryFailure.RecipientRejected =>
                    new NurtureState(name, lastStep, lastSentAt, NurtureOutcome.Bounced, $"step {step} not delivered: the recipient was rejected: {ex.Message}") { PossibleDuplicate = possibleDuplicate },
                _ => Failed(previous, name, lastStep, lastSentAt, step, now, ex.Message, possibleDuplicate),
            };
        }

        var sentAt = context.TimeProvider.GetUtcNow();
        var reason = StepReason(SentReasons, step, static s => $"step {s} sent");
        try
        {
            // The email is out: only the record of it is retried, never the send.
            await MarkSentPipeline.ExecuteAsync(
                static async (state, _) => await state.Outbox.MarkSentAsync(state.Key, state.ProviderMessageId, state.SentAt, CancellationToken.None).ConfigureAwait(false),
                (Outbox: _outbox, message.Key, result.ProviderMessageId, SentAt: sentAt),
                CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            Log.OutboxMarkFailed(_logger, ex, message.IdempotencyKey);
            reason = $"step {step} sent; recording it in the outbox failed ({ex.GetType().Name}: {ex.Message}), so its claim stays until it expires";
        }

        if (possibleDuplicate)
        {
            reason = $"step {step} sent again after an expired claim (possible duplicate: an earlier attempt may have reached the transport)";
        }

        return Done(name, step, sequence, sentAt, NurtureOutcome.Sent, reason) with { PossibleDuplicate = possibleDuplicate };
    }

    private NurtureState HeldElsewhere(NurtureState? previous, string name, int lastStep, DateTimeOffset? lastSentAt, int step, OutboxEntry held, DateTimeOffset now)
    {
        var until = held.ClaimExpiresAt is { } expires && expires > now ? expires : now + _options.SendClaimTimeout;
        return Scheduled(previous, name, lastStep, lastSentAt, until, $"step {step} is being sent by another attempt (claim held until {Format(until)}); it stays due") with { ClaimHeldElsewhere = true };
    }

    private NurtureState Failed(NurtureState? previous, string name, int lastStep, DateTimeOffset? lastSentAt, int step, DateTimeOffset now, string error, bool possibleDuplicate)
    {
        var failures = (previous?.FailedAttempts ?? 0) + 1;
        var retryAt = now + _options.FailedSendRetryDelay;
        return new NurtureState(name, lastStep, lastSentAt, NurtureOutcome.Failed, $"step {step} failed (attempt {failures}): {error}")
        {
            NextStepDueAt = retryAt,
            FailedAttempts = failures,
            PossibleDuplicate = possibleDuplicate,
        };
    }

    /// <summary>Returns the number of steps of a sequence (a sequence not configured has one step).</summary>
    /// <param name="sequence">The sequence name.</param>
    /// <returns>The number of steps.</returns>
    public int StepCount(string sequence) => (_sequences.TryGetValue(sequence ?? string.Empty, out var s) ? s : _fallbackSequence).Steps.Length;

    internal TimeZoneInfo ZoneOf(Lead lead) =>
        lead.TimeZone is { Length: > 0 } id && TimeZoneLookup.TryFind(id, out var zone) ? zone : _defaultZone;

    internal bool IsInsideWindow(DateTimeOffset instant, Lead lead) => _window.IsOpen(instant, ZoneOf(lead));

    private static NurtureState Scheduled(NurtureState? previous, string name, int lastStep, DateTimeOffset? lastSentAt, DateTimeOffset due, string reason) =>
        new(name, lastStep, lastSentAt, NurtureOutcome.Scheduled, reason) { NextStepDueAt = due, FailedAttempts = previous?.FailedAttempts ?? 0 };

    private static NurtureState Done(string name, int step, CompiledSequence sequence, DateTimeOffset at, NurtureOutcome outcome, string reason)
    {
        var next = step < sequence.Steps.Length ? at + sequence.Steps[step].Delay : (DateTimeOffset?)null;
        return new NurtureState(name, step, outcome == NurtureOutcome.DryRun ? null : at, outcome, reason) { NextStepDueAt = next };
    }

    // The reasons of the usual outcomes for the first steps, built once rather than for every lead.
    private const int CachedSteps = 16;
    private static readonly string[] SentReasons = Enumerable.Range(0, CachedSteps + 1).Select(s => $"step {s} sent").ToArray();
    private static readonly string[] DryRunReasons = Enumerable.Range(0, CachedSteps + 1).Select(s => $"dry run: step {s} recorded, not sent").ToArray();

    private static string StepReason(string[] cached, int step, Func<int, string> format) =>
        step >= 0 && step < cached.Length ? cached[step] : format(step);

    private static string Format(DateTimeOffset instant) => instant.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);

    private static Func<IReadOnlyDictionary<string, object?>, string> Compile(ITemplateRenderer renderer, string template, string option)
    {
        try
        {
            return renderer.Compile(template);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            throw new ArgumentException($"{nameof(EmailNurturerOptions)}.{option} is not a valid template: {ex.Message}", ex);
        }
    }
}
