using System.Text.RegularExpressions;
using Aicmo.Sdk.Smtp.Internal;
using MimeKit;

namespace Aicmo.Sdk.Smtp.Inbox.Internal;

/// <summary>
/// Sorts an incoming message into bounce, delivery report, auto-reply, reply or not ours, and finds the lead through the
/// Message-IDs of our emails it refers to.
/// </summary>
internal static partial class InboundMessageClassifier
{
    public static InboundMessage Classify(MimeMessage message, string domain)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (FindReport(message.Body) is { } report)
        {
            return ClassifyReport(message, report, domain);
        }

        var leadId = LeadFromThread(message, domain);
        if (IsBounceWithoutReport(message))
        {
            // An old-style bounce: plain text from the mailer daemon, the returned headers somewhere in the body.
            leadId ??= LeadFromText(message.TextBody ?? message.HtmlBody, domain);
            return new InboundMessage(leadId is null ? InboundKind.Unmatched : InboundKind.Bounce, leadId);
        }

        if (leadId is null)
        {
            return new InboundMessage(InboundKind.Unmatched, null);
        }

        if (IsAutoReply(message))
        {
            return new InboundMessage(InboundKind.AutoReply, leadId, BodyText(message), message.Date == DateTimeOffset.MinValue ? null : message.Date);
        }

        return new InboundMessage(InboundKind.Reply, leadId);
    }

    /// <summary>Whether a message is an automatic answer: RFC 3834's Auto-Submitted, the common X- headers, or its subject.</summary>
    public static bool IsAutoReply(MimeMessage message)
    {
        var headers = message.Headers;
        if (headers[HeaderId.AutoSubmitted] is { } submitted && !submitted.Trim().StartsWith("no", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        if (headers.Contains("X-Autoreply") || headers.Contains("X-Autorespond") || headers.Contains("X-Autoresponder"))
        {
            return true;
        }

        if (headers[HeaderId.Precedence] is { } precedence && precedence.Contains("auto_reply", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        return message.Subject is { } subject && AutoReplySubject().IsMatch(subject);
    }

    private static InboundMessage ClassifyReport(MimeMessage message, MessageDeliveryStatus report, string domain)
    {
        var failed = false;

        // The first group holds the per-message fields; each later group is one recipient.
        foreach (var group in report.StatusGroups.Skip(1))
        {
            var action = group["Action"]?.Trim();
            var status = group["Status"]?.Trim();
            if (string.Equals(action, "failed", StringComparison.OrdinalIgnoreCase) || (action is null && status?.StartsWith('5') == true))
            {
                failed = true;
            }
        }

        var leadId = LeadFromReturnedMessage(message.Body, domain) ?? LeadFromThread(message, domain);
        if (leadId is null)
        {
            return new InboundMessage(InboundKind.Unmatched, null);
        }

        return new InboundMessage(failed ? InboundKind.Bounce : InboundKind.DeliveryReport, leadId);
    }

    private static MessageDeliveryStatus? FindReport(MimeEntity? entity)
    {
        if (entity is not MultipartReport report || !string.Equals(report.ReportType, "delivery-status", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        return report.OfType<MessageDeliveryStatus>().FirstOrDefault();
    }

    private static Guid? LeadFromReturnedMessage(MimeEntity? body, string domain)
    {
        if (body is not Multipart report)
        {
            return null;
        }

        foreach (var part in report)
        {
            // message/rfc822 and text/rfc822-headers (MimeKit's TextRfc822Headers is a MessagePart with the headers only).
            if (part is MessagePart { Message: { } returned })
            {
                if (MessageIds.TryGetLeadId(returned.MessageId, domain, out var leadId))
                {
                    return leadId;
                }
            }
        }

        return null;
    }

    private static Guid? LeadFromThread(MimeMessage message, string domain)
    {
        if (MessageIds.TryGetLeadId(message.InReplyTo, domain, out var leadId))
        {
            return leadId;
        }

        // References list the thread oldest first; the newest of ours is the one answered.
        for (var i = message.References.Count - 1; i >= 0; i--)
        {
            if (MessageIds.TryGetLeadId(message.References[i], domain, out leadId))
            {
                return leadId;
            }
        }

        return null;
    }

    private static Guid? LeadFromText(string? text, string domain)
    {
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        foreach (Match match in AngleBracketed().Matches(text))
        {
            if (MessageIds.TryGetLeadId(match.Groups[1].Value, domain, out var leadId))
            {
                return leadId;
            }
        }

        return null;
    }

    private static bool IsBounceWithoutReport(MimeMessage message)
    {
        var from = message.From.Mailboxes.FirstOrDefault()?.Address ?? string.Empty;
        var local = from.Split('@')[0];
        return (local.Equals("mailer-daemon", StringComparison.OrdinalIgnoreCase) || local.Equals("postmaster", StringComparison.OrdinalIgnoreCase)) &&
               message.Subject is { } subject && BounceSubject().IsMatch(subject);
    }

    private static string BodyText(MimeMessage message)
    {
        if (message.TextBody is { } text)
        {
            return text;
        }

        return message.HtmlBody is { } html ? HtmlTag().Replace(html, " ") : string.Empty;
    }

    // Anchored at the start: mail systems put the marker first ("Automatic reply: Hello Ada"), while a person's answer starts with
    // "Re:" and may mention a vacation anywhere.
    [GeneratedRegex(@"^\s*(?:\[?out of (?:the )?office|automatic reply|auto(?:matic)?[- ]?re(?:ply|sponse)|auto:|vacation|absent|away from|abwesenheit|abwesend|automatische antwort|r[ée]ponse automatique|absence|fuera de la oficina|respuesta autom[áa]tica)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex AutoReplySubject();

    [GeneratedRegex(@"undeliver|undelivered|delivery (status notification|failure|has failed)|mail delivery failed|returned mail|failure notice|nicht zustellbar", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex BounceSubject();

    [GeneratedRegex(@"<([^<>\s]+@[^<>\s]+)>", RegexOptions.CultureInvariant)]
    private static partial Regex AngleBracketed();

    [GeneratedRegex("<[^>]*>", RegexOptions.CultureInvariant)]
    private static partial Regex HtmlTag();
}
