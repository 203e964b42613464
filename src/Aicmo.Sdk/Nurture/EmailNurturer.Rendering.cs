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

// Rendering a step into a message, and the header safety check every message passes before it reaches a sender.
public sealed partial class EmailNurturer
{
    /// <summary>Renders step 1 of the lead's sequence (for benchmarks and diagnostics; nothing is reserved or sent).</summary>
    internal EmailMessage Render(Lead lead, string to, RoutingDecision routing)
    {
        var sequence = _sequences.TryGetValue(routing.Sequence, out var configured) ? configured : _fallbackSequence;
        return Render(lead, to, routing, routing.Sequence, sequence, sequence.Steps[0], 1, TimeProvider.System.GetUtcNow());
    }

    private EmailMessage Render(Lead lead, string to, RoutingDecision routing, string sequenceName, CompiledSequence sequence, CompiledStep step, int number, DateTimeOffset now)
    {
        // Templates of the built-in renderer read the fields straight from the lead; any other renderer gets the model.
        var fields = new TemplateFields(lead, to, routing, number, _unsubscribe, _options.Fallbacks, now);
        IReadOnlyDictionary<string, object?>? model = null;

        string body;
        if (step.Body.Target is PlaceholderTemplate bodyTemplate)
        {
            // The link is appended in the same buffer: no intermediate body or link string.
            body = bodyTemplate.Render(in fields, !step.PlacesUnsubscribeLink, UnsubscribeLine);
        }
        else if (step.PlacesUnsubscribeLink)
        {
            body = step.Body(model ??= Model(lead, to, routing, number, now));
        }
        else
        {
            body = step.Body(model ??= Model(lead, to, routing, number, now)) + UnsubscribeLine + _unsubscribe.Format(lead, now);
        }

        var subject = step.Subject.Target is PlaceholderTemplate subjectTemplate
            ? subjectTemplate.Render(in fields, false, null)
            : step.Subject(model ??= Model(lead, to, routing, number, now));

        return new EmailMessage
        {
            Key = new OutboxKey(lead.Id, sequenceName, number),
            FromAddress = sequence.FromAddress,
            FromName = sequence.FromName,
            To = to,
            // A name that could read as more than one address is left out (the email goes to the bare address); one with a line
            // break or control character is kept, so that the header check below refuses the send.
            ToName = TextPolicy.IndexOfHeaderBreak(lead.FullName) < 0 && !TextPolicy.IsSafeDisplayName(lead.FullName) ? null : lead.FullName,
            Subject = subject,
            Body = body,
            Headers = new UnsubscribeHeaders(_unsubscribe, lead, now),
        };
    }

    private IReadOnlyDictionary<string, object?> Model(Lead lead, string to, RoutingDecision routing, int number, DateTimeOffset now)
    {
        var leadId = lead.Id.ToString("N");
        var unsubscribe = _unsubscribe.Format(lead, now);
        return _lookupOnlyRenderer
            ? new LeadTemplateModel(lead, to, routing, number, leadId, unsubscribe, _options.Fallbacks)
            : LeadTemplateModel.Build(lead, to, routing, number, leadId, unsubscribe, _options.Fallbacks);
    }

    private static string? FindUnsafeHeader(EmailMessage message)
    {
        if (HasUnsafe(message.FromAddress)) return "sender address";
        if (HasUnsafe(message.FromName)) return "sender name";
        if (HasUnsafe(message.To)) return "recipient address";
        if (HasUnsafe(message.ToName)) return "recipient name";
        if (HasUnsafe(message.Subject)) return "subject";
        if (message.Headers is UnsubscribeHeaders unsubscribe)
        {
            // The headers rendered here: the link is checked without formatting it (the lead id is hex digits).
            return unsubscribe.Link.HasHeaderBreak ? "header " + UnsubscribeHeaders.ListUnsubscribe : null;
        }

        if (message.Headers is Dictionary<string, string> headers)
        {
            // The messages rendered here: enumerate the dictionary itself, not a boxed enumerator.
            foreach (var header in headers)
            {
                if (HasUnsafe(header.Key) || HasUnsafe(header.Value)) return "header " + header.Key;
            }

            return null;
        }

        foreach (var header in message.Headers)
        {
            if (HasUnsafe(header.Key) || HasUnsafe(header.Value)) return "header " + header.Key;
        }

        return null;
    }

    private static bool HasUnsafe(string? value) => TextPolicy.IndexOfHeaderBreak(value) >= 0;

    private sealed record CompiledSequence(string FromAddress, string? FromName, CompiledStep[] Steps);

    private sealed record CompiledStep(
        TimeSpan Delay,
        Func<IReadOnlyDictionary<string, object?>, string> Subject,
        Func<IReadOnlyDictionary<string, object?>, string> Body,
        bool PlacesUnsubscribeLink);
}
