using System.Globalization;
using Aicmo.Sdk.Nurture;
using Aicmo.Sdk.Smtp.Inbox.Internal;
using Aicmo.Sdk.Smtp.Internal;
using Aicmo.Sdk.Storage;
using MailKit;
using MailKit.Net.Imap;
using MailKit.Search;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Aicmo.Sdk.Smtp.Inbox;

/// <summary>
/// Reads the mailbox that receives answers to the nurture emails (IMAP, with MailKit) and acts on what concerns a lead: a delivery
/// failure report marks the lead bounced, a reply stops its sequence, and an out-of-office answer postpones its next step until the
/// return date it states.
/// </summary>
/// <remarks>
/// <para>
/// Messages are matched to leads by the Message-IDs the SMTP sender gives our emails (<c>In-Reply-To</c> and <c>References</c> of a
/// reply; the returned message or headers of a report). Every message read is marked with
/// <see cref="InboxReaderOptions.ProcessedKeyword"/> and skipped afterwards; the ones acted on are moved to
/// <see cref="InboxReaderOptions.ProcessedFolder"/> when it is set. A message is marked only after its effect is stored, so a pass
/// that fails part-way reads the rest again; acting twice on one message changes nothing.
/// </para>
/// <para>Run it through the hosted service <c>AddInboxReader</c> registers, or call <see cref="ProcessInboxAsync"/> from a scheduler.</para>
/// </remarks>
public sealed class InboxReader
{
    private readonly InboxReaderOptions _options;
    private readonly NurtureService _nurture;
    private readonly ILeadRepository _leads;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    /// <summary>Initializes a new instance of the <see cref="InboxReader"/> class.</summary>
    /// <param name="options">The settings, validated at start-up.</param>
    /// <param name="nurture">Stops sequences (replies, bounces) and pauses them (out-of-office answers).</param>
    /// <param name="leads">The lead store (a lead's time zone, for the day a pause ends).</param>
    /// <param name="timeProvider">The clock.</param>
    /// <param name="logger">The logger, or <see langword="null"/> for none.</param>
    public InboxReader(IOptions<InboxReaderOptions> options, NurtureService nurture, ILeadRepository leads, TimeProvider timeProvider, ILogger<InboxReader>? logger = null)
    {
        _options = (options ?? throw new ArgumentNullException(nameof(options))).Value;
        _nurture = nurture ?? throw new ArgumentNullException(nameof(nurture));
        _leads = leads ?? throw new ArgumentNullException(nameof(leads));
        _time = timeProvider ?? throw new ArgumentNullException(nameof(timeProvider));
        _logger = (ILogger?)logger ?? NullLogger.Instance;
    }

    /// <summary>Reads the messages not read before (at most <see cref="InboxReaderOptions.BatchSize"/>) and acts on them.</summary>
    /// <param name="cancellationToken">A token to stop early; the messages not reached are read by the next pass.</param>
    /// <returns>What the pass did.</returns>
    public async Task<InboxPassResult> ProcessInboxAsync(CancellationToken cancellationToken = default)
    {
        using var client = new ImapClient
        {
            Timeout = (int)_options.Timeout.TotalMilliseconds,
            CheckCertificateRevocation = _options.CheckCertificateRevocation,
        };
        if (_options.ServerCertificateValidation is { } validate)
        {
            client.ServerCertificateValidationCallback = validate;
        }

        await client.ConnectAsync(_options.Host, _options.Port, MailSecurityOptions.ToSocketOptions(_options.Security), cancellationToken).ConfigureAwait(false);
        await client.AuthenticateAsync(_options.UserName, _options.Password, cancellationToken).ConfigureAwait(false);
        var folder = await client.GetFolderAsync(_options.Folder, cancellationToken).ConfigureAwait(false);
        await folder.OpenAsync(FolderAccess.ReadWrite, cancellationToken).ConfigureAwait(false);
        IMailFolder? processedFolder = _options.ProcessedFolder is { } name ? await GetOrCreateFolderAsync(client, name, cancellationToken).ConfigureAwait(false) : null;

        var unread = await folder.SearchAsync(SearchQuery.NotKeywords([_options.ProcessedKeyword]), cancellationToken).ConfigureAwait(false);
        var keyword = new HashSet<string>(StringComparer.Ordinal) { _options.ProcessedKeyword };
        int examined = 0, bounced = 0, stopped = 0, paused = 0, ignored = 0, unmatched = 0;
        var actedOn = new List<UniqueId>();
        foreach (var uid in unread.Take(_options.BatchSize))
        {
            var message = await folder.GetMessageAsync(uid, cancellationToken).ConfigureAwait(false);
            var inbound = InboundMessageClassifier.Classify(message, _options.MessageIdDomain);
            var outcome = await ActAsync(inbound, cancellationToken).ConfigureAwait(false);
            Log.InboxMessage(_logger, uid.Id, inbound.Kind.ToString(), inbound.LeadId, outcome.ToString());
            switch (outcome)
            {
                case InboxOutcome.Bounced: bounced++; break;
                case InboxOutcome.Stopped: stopped++; break;
                case InboxOutcome.Paused: paused++; break;
                case InboxOutcome.Ignored: ignored++; break;
                default: unmatched++; break;
            }

            // Marked only once its effect is stored: a crash before this line reads the message again, which changes nothing.
            await folder.StoreAsync(uid, new StoreFlagsRequest(StoreAction.Add, keyword) { Silent = true }, cancellationToken).ConfigureAwait(false);
            if (outcome != InboxOutcome.Unmatched)
            {
                actedOn.Add(uid);
            }

            examined++;
        }

        if (processedFolder is not null && actedOn.Count > 0)
        {
            await folder.MoveToAsync(actedOn, processedFolder, cancellationToken).ConfigureAwait(false);
        }

        await client.DisconnectAsync(quit: true, cancellationToken).ConfigureAwait(false);
        Log.InboxPass(_logger, _options.Folder, examined, bounced, stopped, paused, unmatched);
        return new InboxPassResult(examined, bounced, stopped, paused, ignored, unmatched);
    }

    private async ValueTask<InboxOutcome> ActAsync(InboundMessage inbound, CancellationToken cancellationToken)
    {
        if (inbound.LeadId is not { } leadId)
        {
            return InboxOutcome.Unmatched;
        }

        switch (inbound.Kind)
        {
            case InboundKind.Bounce:
                return await _nurture.StopAsync(leadId, NurtureStopReason.Bounce, cancellationToken).ConfigureAwait(false) ? InboxOutcome.Bounced : InboxOutcome.Ignored;
            case InboundKind.Reply:
                return await _nurture.StopAsync(leadId, NurtureStopReason.Reply, cancellationToken).ConfigureAwait(false) ? InboxOutcome.Stopped : InboxOutcome.Ignored;
            case InboundKind.AutoReply:
                return await PauseAsync(leadId, inbound, cancellationToken).ConfigureAwait(false);
            default:
                return InboxOutcome.Ignored;
        }
    }

    private async ValueTask<InboxOutcome> PauseAsync(Guid leadId, InboundMessage inbound, CancellationToken cancellationToken)
    {
        var lead = await _leads.GetAsync(leadId, cancellationToken).ConfigureAwait(false);
        if (lead is null)
        {
            return InboxOutcome.Ignored;
        }

        var zone = LeadZone(lead.TimeZone);
        var now = _time.GetUtcNow();
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(now, zone).DateTime);
        var sentOn = inbound.SentAt is { } sent && sent <= now && sent >= now - TimeSpan.FromDays(30)
            ? DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(sent, zone).DateTime)
            : today;
        var latest = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(now + _options.MaxOutOfOfficePause, zone).DateTime);

        DateTimeOffset until;
        string reason;
        if (ReturnDateParser.TryParse(inbound.Text, sentOn, today, latest, out var back))
        {
            // The start of the return day where the person is; the sending window then picks the hour.
            var local = back.ToDateTime(TimeOnly.MinValue, DateTimeKind.Unspecified);
            until = new DateTimeOffset(local, zone.GetUtcOffset(local));
            reason = string.Create(CultureInfo.InvariantCulture, $"paused: out-of-office reply, back on {back:yyyy-MM-dd}");
        }
        else
        {
            until = now + _options.DefaultOutOfOfficePause;
            reason = string.Create(CultureInfo.InvariantCulture, $"paused: out-of-office reply without a return date, until {until:yyyy-MM-dd}");
        }

        return await _nurture.PauseAsync(leadId, until, reason, cancellationToken).ConfigureAwait(false) == NurturePauseOutcome.Paused ? InboxOutcome.Paused : InboxOutcome.Ignored;
    }

    private static TimeZoneInfo LeadZone(string? timeZone) =>
        timeZone is not null && TimeZoneInfo.TryFindSystemTimeZoneById(timeZone, out var zone) ? zone : TimeZoneInfo.Utc;

    private static async Task<IMailFolder> GetOrCreateFolderAsync(ImapClient client, string name, CancellationToken cancellationToken)
    {
        try
        {
            return await client.GetFolderAsync(name, cancellationToken).ConfigureAwait(false);
        }
        catch (FolderNotFoundException)
        {
            var root = client.GetFolder(client.PersonalNamespaces[0]);
            return await root.CreateAsync(name, isMessageFolder: true, cancellationToken).ConfigureAwait(false)
                   ?? throw new InvalidOperationException($"The IMAP server did not create the folder '{name}' (InboxReaderOptions.ProcessedFolder).");
        }
    }

    private enum InboxOutcome
    {
        Unmatched,
        Bounced,
        Stopped,
        Paused,
        Ignored,
    }
}
