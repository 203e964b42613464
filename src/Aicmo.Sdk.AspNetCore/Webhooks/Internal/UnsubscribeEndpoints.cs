using System.Net;
using Aicmo.Sdk.Nurture;
using Aicmo.Sdk.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using P = Aicmo.Sdk.AspNetCore.Problems.Internal.Problems;

namespace Aicmo.Sdk.AspNetCore.Webhooks.Internal;

/// <summary>
/// One-click unsubscribe (RFC 8058) at the link the nurture stage writes in <c>List-Unsubscribe</c>:
/// <c>POST /unsubscribe?token=…</c> (what a mail client sends with <c>List-Unsubscribe=One-Click</c>) stops the lead's sequence
/// and suppresses the address; <c>GET</c> only shows a page whose button posts, since link scanners fetch links without a person
/// asking. No API key: the token, signed with <see cref="EmailNurturerOptions.UnsubscribeTokenSecret"/>, is the credential, and a
/// forged, changed or expired one is refused with nothing changed.
/// </summary>
internal static class UnsubscribeEndpoints
{
    public static void Map(RouteGroupBuilder group)
    {
        group.MapGet("/unsubscribe", ConfirmAsync).WithTags("Unsubscribe").WithName("ConfirmUnsubscribe")
            .WithSummary("Shows the unsubscribe page of a signed token; changes nothing.").AllowAnonymous();
        group.MapPost("/unsubscribe", UnsubscribeAsync).WithTags("Unsubscribe").WithName("Unsubscribe")
            .WithSummary("One-click unsubscribe (RFC 8058): stops the lead's sequence and suppresses its address.").AllowAnonymous();
    }

    internal static async Task<Results<ContentHttpResult, ProblemHttpResult>> ConfirmAsync(
        HttpContext http, UnsubscribeTokenSigner signer, ILeadRepository leads, TimeProvider time, string? token = null)
    {
        var (_, problem) = await FindAsync(http, signer, leads, time, token).ConfigureAwait(false);
        if (problem is not null)
        {
            return problem;
        }

        var action = WebUtility.HtmlEncode(http.Request.PathBase + http.Request.Path + "?token=" + Uri.EscapeDataString(token!));
        var html = $"""
            <!doctype html><html lang="en"><head><meta charset="utf-8"><title>Unsubscribe</title></head>
            <body><form method="post" action="{action}"><input type="hidden" name="List-Unsubscribe" value="One-Click">
            <p>Stop receiving these emails?</p><button type="submit">Unsubscribe</button></form></body></html>
            """;
        http.Response.Headers.CacheControl = "no-store";
        return TypedResults.Content(html, "text/html; charset=utf-8");
    }

    internal static async Task<Results<ContentHttpResult, ProblemHttpResult>> UnsubscribeAsync(
        HttpContext http, UnsubscribeTokenSigner signer, ILeadRepository leads, NurtureService nurture, TimeProvider time, string? token = null)
    {
        var (lead, problem) = await FindAsync(http, signer, leads, time, token).ConfigureAwait(false);
        if (problem is not null)
        {
            return problem;
        }

        // Carried on when the client hangs up: a half-done unsubscribe would leave the address mailable.
        await nurture.StopAsync(lead!.Id, NurtureStopReason.Unsubscribe, CancellationToken.None).ConfigureAwait(false);
        http.Response.Headers.CacheControl = "no-store";
        return TypedResults.Content(
            """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Unsubscribed</title></head><body><p>You are unsubscribed. No further emails of this kind will reach you.</p></body></html>""",
            "text/html; charset=utf-8");
    }

    private static async Task<(Domain.Lead? Lead, ProblemHttpResult? Problem)> FindAsync(
        HttpContext http, UnsubscribeTokenSigner signer, ILeadRepository leads, TimeProvider time, string? token)
    {
        switch (signer.Verify(token, time.GetUtcNow(), out var payload))
        {
            case UnsubscribeTokenStatus.Expired:
                return (null, P.Validation(http, "token", "The link has expired; use the link of a more recent email."));
            case UnsubscribeTokenStatus.Invalid:
                return (null, P.Validation(http, "token", "Not a valid unsubscribe link."));
        }

        var lead = await leads.GetAsync(payload!.LeadId, http.RequestAborted).ConfigureAwait(false);
        return lead is null || lead.CampaignId != payload.CampaignId
            ? (null, P.NotFound(http, "No subscription for this link."))
            : (lead, null);
    }
}
