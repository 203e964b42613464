using System.Text;
using Aicmo.Sdk.Domain;
using Aicmo.Sdk.Identity;
using Aicmo.Sdk.Pipeline;
using Aicmo.Sdk.Stages;
using Aicmo.Sdk.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Aicmo.Sdk.Nurture;

/// <summary>Options of <see cref="EmailNurturer"/>.</summary>
public sealed class EmailNurturerOptions
{
    /// <summary>Gets or sets the sender address.</summary>
    /// <value>The default value is <c>outreach@example.com</c>. Must be a valid address.</value>
    public string FromAddress { get; set; } = "outreach@example.com";

    /// <summary>Gets or sets the sender display name.</summary>
    /// <value>The default value is <c>Aicmo</c>.</value>
    public string? FromName { get; set; } = "Aicmo";

    /// <summary>
    /// Gets or sets the subject. Placeholders: <c>{FirstName}</c>, <c>{LastName}</c>, <c>{CompanyName}</c>, <c>{Title}</c>,
    /// <c>{Owner}</c>, <c>{Sequence}</c>, <c>{LeadId}</c>; a missing value renders as its fallback (for example <c>there</c>).
    /// </summary>
    public string SubjectTemplate { get; set; } = "{FirstName}, a quick question about {CompanyName}";

    /// <summary>Gets or sets the plain-text body, with the same placeholders as <see cref="SubjectTemplate"/>.</summary>
    public string BodyTemplate { get; set; } =
        "Hi {FirstName},\n\nI lead outreach for teams like {CompanyName}. Would a short call next week be useful?\n\n{Owner}";

    /// <summary>Gets or sets the unsubscribe link; <c>{LeadId}</c> is replaced. Sent as the <c>List-Unsubscribe</c> header and in the body.</summary>
    /// <value>The default value is <c>https://example.com/unsubscribe/{LeadId}</c>.</value>
    public string UnsubscribeUrlTemplate { get; set; } = "https://example.com/unsubscribe/{LeadId}";
}

/// <summary>
/// The default nurturer: sends step 1 of the lead's sequence through <see cref="IEmailOutbox"/> and <see cref="IEmailSender"/>,
/// after checking the suppression list and rejecting header-injection characters.
/// </summary>
/// <remarks>A step already marked sent in the outbox is never sent again, even when the stage runs twice for the lead.</remarks>
public sealed class EmailNurturer : ILeadNurturer
{
    private const int Step = 1;
    private readonly EmailNurturerOptions _options;
    private readonly IEmailOutbox _outbox;
    private readonly ISuppressionList _suppression;
    private readonly IEmailSender? _sender;

    /// <summary>Initializes a new instance of the <see cref="EmailNurturer"/> class.</summary>
    /// <param name="options">The pipeline options; <see cref="AicmoPipelineOptions.Nurture"/> is used.</param>
    /// <param name="outbox">The outbox.</param>
    /// <param name="suppression">The suppression list.</param>
    /// <param name="services">Where the optional <see cref="IEmailSender"/> is resolved from.</param>
    [ActivatorUtilitiesConstructor]
    public EmailNurturer(IOptions<AicmoPipelineOptions> options, IEmailOutbox outbox, ISuppressionList suppression, IServiceProvider services)
        : this((options ?? throw new ArgumentNullException(nameof(options))).Value.Nurture, outbox, suppression, services?.GetService<IEmailSender>())
    {
    }

    /// <summary>Initializes a new instance of the <see cref="EmailNurturer"/> class.</summary>
    /// <param name="options">The nurturer options.</param>
    /// <param name="outbox">The outbox.</param>
    /// <param name="suppression">The suppression list.</param>
    /// <param name="sender">The transport, or <see langword="null"/> when only dry runs are made.</param>
    public EmailNurturer(EmailNurturerOptions options, IEmailOutbox outbox, ISuppressionList suppression, IEmailSender? sender)
    {
        _options = options ?? throw new ArgumentNullException(nameof(options));
        _outbox = outbox ?? throw new ArgumentNullException(nameof(outbox));
        _suppression = suppression ?? throw new ArgumentNullException(nameof(suppression));
        _sender = sender;
    }

    /// <inheritdoc />
    public async ValueTask<NurtureState> NurtureAsync(Lead lead, StageContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lead);
        ArgumentNullException.ThrowIfNull(context);
        var routing = lead.Routing ?? throw new InvalidOperationException("The lead has no routing decision; nurture runs after routing.");
        var sequence = routing.Sequence;

        var to = LeadIdentity.NormalizeEmail(lead.Email);
        if (to is null || !EmailAddress.IsValid(to))
        {
            return new NurtureState(sequence, 0, null, NurtureOutcome.Rejected, "no valid recipient address");
        }

        var suppressed = await _suppression.GetAsync(to, cancellationToken).ConfigureAwait(false);
        if (suppressed is not null)
        {
            return new NurtureState(sequence, 0, null, NurtureOutcome.Suppressed, "recipient suppressed: " + suppressed.Reason.ToString().ToLowerInvariant());
        }

        var message = Render(lead, to, routing);
        var unsafeHeader = FindUnsafeHeader(message);
        if (unsafeHeader is not null)
        {
            return new NurtureState(sequence, 0, null, NurtureOutcome.Rejected, $"{unsafeHeader} contains CR, LF or NUL");
        }

        var now = context.TimeProvider.GetUtcNow();
        var dryRun = context.DryRun || _sender is null;
        var entry = new OutboxEntry
        {
            Key = message.Key,
            CampaignId = lead.CampaignId,
            To = to,
            Subject = message.Subject,
            Status = dryRun ? OutboxStatus.DryRun : OutboxStatus.Pending,
            CreatedAt = now,
        };
        var reservation = await _outbox.ReserveAsync(entry, cancellationToken).ConfigureAwait(false);
        if (!reservation.Created)
        {
            switch (reservation.Entry.Status)
            {
                case OutboxStatus.Sent:
                    return new NurtureState(sequence, Step, reservation.Entry.SentAt, NurtureOutcome.AlreadySent, "step 1 was already sent");
                case OutboxStatus.DryRun when dryRun:
                    return new NurtureState(sequence, Step, null, NurtureOutcome.DryRun, "dry run: step 1 already recorded");
            }

            // Pending or failed: an earlier attempt did not confirm the send. Sending again with the same key lets a
            // provider that honours idempotency keys drop the duplicate.
        }

        if (dryRun)
        {
            return new NurtureState(sequence, Step, null, NurtureOutcome.DryRun, "dry run: step 1 recorded, not sent");
        }

        EmailSendResult result;
        try
        {
            result = await _sender!.SendAsync(message, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            await _outbox.MarkFailedAsync(message.Key, ex.GetType().Name + ": " + ex.Message, CancellationToken.None).ConfigureAwait(false);
            throw;
        }

        var sentAt = context.TimeProvider.GetUtcNow();
        await _outbox.MarkSentAsync(message.Key, result.ProviderMessageId, sentAt, CancellationToken.None).ConfigureAwait(false);
        return new NurtureState(sequence, Step, sentAt, NurtureOutcome.Sent, "step 1 sent");
    }

    internal EmailMessage Render(Lead lead, string to, RoutingDecision routing)
    {
        var unsubscribe = Fill(_options.UnsubscribeUrlTemplate, lead, routing);
        var body = Fill(_options.BodyTemplate, lead, routing) + "\n\nUnsubscribe: " + unsubscribe;
        return new EmailMessage
        {
            Key = new OutboxKey(lead.Id, routing.Sequence, Step),
            FromAddress = _options.FromAddress,
            FromName = _options.FromName,
            To = to,
            ToName = lead.FullName,
            Subject = Fill(_options.SubjectTemplate, lead, routing),
            Body = body,
            Headers = new Dictionary<string, string>(2, StringComparer.OrdinalIgnoreCase)
            {
                ["List-Unsubscribe"] = "<" + unsubscribe + ">",
                ["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click",
            },
        };
    }

    private static string? FindUnsafeHeader(EmailMessage message)
    {
        if (HasUnsafe(message.FromAddress)) return "sender address";
        if (HasUnsafe(message.FromName)) return "sender name";
        if (HasUnsafe(message.To)) return "recipient address";
        if (HasUnsafe(message.ToName)) return "recipient name";
        if (HasUnsafe(message.Subject)) return "subject";
        foreach (var header in message.Headers)
        {
            if (HasUnsafe(header.Key) || HasUnsafe(header.Value)) return "header " + header.Key;
        }

        return null;
    }

    private static bool HasUnsafe(string? value) => value is not null && value.AsSpan().IndexOfAny('\r', '\n', '\0') >= 0;

    // Fixed placeholders keep this default free of a template engine; the sequence engine renders full templates.
    private static string Fill(string template, Lead lead, RoutingDecision routing)
    {
        if (template.IndexOf('{', StringComparison.Ordinal) < 0)
        {
            return template;
        }

        var sb = new StringBuilder(template.Length + 64);
        var span = template.AsSpan();
        while (true)
        {
            var open = span.IndexOf('{');
            var close = open < 0 ? -1 : span[open..].IndexOf('}');
            if (open < 0 || close < 0)
            {
                sb.Append(span);
                return sb.ToString();
            }

            sb.Append(span[..open]);
            var name = span.Slice(open + 1, close - 1);
            if (!AppendValue(sb, name, lead, routing))
            {
                sb.Append(span.Slice(open, close + 1));
            }

            span = span[(open + close + 1)..];
        }
    }

    private static bool AppendValue(StringBuilder sb, ReadOnlySpan<char> name, Lead lead, RoutingDecision routing)
    {
        string? value;
        string fallback;
        switch (name)
        {
            case "FirstName": value = lead.FirstName; fallback = "there"; break;
            case "LastName": value = lead.LastName; fallback = string.Empty; break;
            case "CompanyName": value = lead.CompanyName; fallback = "your company"; break;
            case "Title": value = lead.Title; fallback = "your role"; break;
            case "Owner": value = routing.Owner; fallback = "The team"; break;
            case "Sequence": value = routing.Sequence; fallback = string.Empty; break;
            case "LeadId": sb.Append(lead.Id.ToString("N")); return true;
            default: return false;
        }

        sb.Append(string.IsNullOrWhiteSpace(value) ? fallback : value.Trim());
        return true;
    }
}
