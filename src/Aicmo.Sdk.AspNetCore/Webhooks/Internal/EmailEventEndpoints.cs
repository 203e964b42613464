using System.Globalization;
using Aicmo.Sdk.AspNetCore.Internal;
using Aicmo.Sdk.AspNetCore.People.Internal;
using Aicmo.Sdk.AspNetCore.Problems;
using Aicmo.Sdk.AspNetCore.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;
using P = Aicmo.Sdk.AspNetCore.Problems.Internal.Problems;

namespace Aicmo.Sdk.AspNetCore.Webhooks.Internal;

/// <summary>
/// <c>POST /webhooks/email-events</c>: bounces, complaints, replies and unsubscribes from a mail provider. No API key: the call is
/// authenticated by its signature (<see cref="AicmoWebhookSignature"/>) over the raw body and a timestamp within
/// <see cref="AicmoApiOptions.EmailEventsTolerance"/> of now, so an old call replayed is refused; an event whose id was applied
/// within that window (<see cref="EmailEventLedger"/>) is accepted and reported as replayed, not applied again. Every event is
/// checked before any is applied: a bad signature (401) or a bad event (400 naming it) changes nothing.
/// </summary>
internal static class EmailEventEndpoints
{
    public const int MaxEvents = 100;

    public static void Map(RouteGroupBuilder group) =>
        group.MapPost("/webhooks/email-events", ReceiveAsync).WithTags("Webhooks").WithName("ReceiveEmailEvents")
            .WithSummary("Receives signed mail events (bounce, complaint, reply, unsubscribe) and stops the sequences they concern.")
            .JsonBody<EmailEventBatch>().AllowAnonymous();

    internal static async Task<Results<Ok<EmailEventResponse>, ProblemHttpResult>> ReceiveAsync(
        HttpContext http, IOptions<AicmoApiOptions> options, EmailEventApplier applier, EmailEventLedger ledger, TimeProvider time)
    {
        var o = options.Value;
        if (o.EmailEventsSecret is not { } secret)
        {
            return P.NotFound(http, "Mail events are not accepted here: no EmailEventsSecret is configured.");
        }

        var (body, tooLarge) = await JsonBody.ReadBytesAsync(http).ConfigureAwait(false);
        if (tooLarge is not null)
        {
            return tooLarge;
        }

        if (Unsigned(http, secret, body, o.EmailEventsTolerance, time) is { } refused)
        {
            return refused;
        }

        if (!JsonBody.IsJson(http.Request.ContentType))
        {
            return JsonBody.UnsupportedMediaType(http);
        }

        var (batch, malformed) = JsonBody.Deserialize<EmailEventBatch>(http, body);
        if (malformed is not null)
        {
            return malformed;
        }

        var events = batch!.Events ?? [];
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var emails = new string?[Math.Min(events.Count, MaxEvents)];
        if (events.Count is 0 or > MaxEvents)
        {
            errors["events"] = [$"From 1 to {MaxEvents} events."];
        }
        else
        {
            for (var i = 0; i < events.Count; i++)
            {
                Check(events[i], i, errors, out emails[i]);
            }
        }

        if (errors.Count > 0)
        {
            return P.Validation(http, errors);
        }

        // Applied to the end even if the provider hangs up: a half-applied batch would be retried anyway, and each event is idempotent.
        var results = new List<EmailEventResult>(events.Count);
        for (var i = 0; i < events.Count; i++)
        {
            var e = events[i]!;
            if (e.Id is { } eventId && !ledger.TryClaim(eventId))
            {
                results.Add(new EmailEventResult(i, eventId, e.Type!, 0, false, Replayed: true));
                continue;
            }

            try
            {
                results.Add(await applier.ApplyAsync(i, e, emails[i], CancellationToken.None).ConfigureAwait(false));
            }
            catch when (e.Id is not null)
            {
                ledger.Release(e.Id);
                throw;
            }
        }

        return TypedResults.Ok(new EmailEventResponse(events.Count, results.Sum(r => r.LeadsStopped), results));
    }

    private static ProblemHttpResult? Unsigned(HttpContext http, string secret, ReadOnlySpan<byte> body, TimeSpan tolerance, TimeProvider time)
    {
        var headers = http.Request.Headers;
        var stamp = headers[AicmoWebhookSignature.TimestampHeader];
        var signature = headers[AicmoWebhookSignature.SignatureHeader];
        if (stamp.Count != 1 || signature.Count != 1 ||
            !long.TryParse(stamp.ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out var timestamp))
        {
            return Refuse(http, $"Sign the body: {AicmoWebhookSignature.TimestampHeader} and {AicmoWebhookSignature.SignatureHeader} are required.");
        }

        if (!AicmoWebhookSignature.Verify(secret, timestamp, body, signature.ToString()))
        {
            return Refuse(http, "The signature is not valid.");
        }

        var now = time.GetUtcNow().ToUnixTimeSeconds();
        return Math.Abs(now - timestamp) > (long)tolerance.TotalSeconds
            ? Refuse(http, "The timestamp is too far from now; a replayed or delayed call is refused.")
            : null;
    }

    private static ProblemHttpResult Refuse(HttpContext http, string detail) =>
        P.Create(http, StatusCodes.Status401Unauthorized, AicmoProblemTypes.Unauthenticated, "Authentication required.", detail);

    private static void Check(EmailEvent? e, int i, Dictionary<string, string[]> errors, out string? email)
    {
        email = null;
        var at = string.Create(CultureInfo.InvariantCulture, $"events[{i}]");
        if (e is null)
        {
            errors[at] = ["Must be an object."];
            return;
        }

        if (!EmailEventTypes.IsKnown(e.Type))
        {
            errors[at + ".type"] = ["'bounce', 'complaint', 'reply' or 'unsubscribe'."];
        }

        if (TextRules.Check(e.Id, 200) is { } idProblem)
        {
            errors[at + ".id"] = [idProblem];
        }

        if (e.CampaignId is not null && !TextRules.IsValidId(e.CampaignId))
        {
            errors[at + ".campaignId"] = ["Not a campaign id."];
        }

        if (e.Email is not null)
        {
            if (EmailRules.Check(e.Email, out var normalized) is { } emailProblem)
            {
                errors[at + ".email"] = [emailProblem];
            }
            else
            {
                email = normalized;
            }
        }
        else if (e.LeadId is null)
        {
            errors[at] = ["Name the lead (leadId) or the address (email)."];
        }
    }
}
