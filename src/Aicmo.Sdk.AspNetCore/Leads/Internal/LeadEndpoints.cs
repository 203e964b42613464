using System.Globalization;
using Aicmo.Sdk.AspNetCore.Campaigns.Internal;
using Aicmo.Sdk.AspNetCore.Internal;
using Aicmo.Sdk.AspNetCore.Security;
using Aicmo.Sdk.Domain;
using Aicmo.Sdk.Identity;
using Aicmo.Sdk.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;
using P = Aicmo.Sdk.AspNetCore.Problems.Internal.Problems;

namespace Aicmo.Sdk.AspNetCore.Leads.Internal;

/// <summary>
/// Leads, read only: a campaign's leads by state with key-based paging (<see cref="LeadQuery.After"/>, so a page never skips or
/// repeats a lead while runs change states), a person's leads by email across campaigns, one lead with its audit trail, its outbox.
/// </summary>
internal static class LeadEndpoints
{
    private const int MaxSteps = 100;

    public static void Map(RouteGroupBuilder group, ApiPolicies policies)
    {
        var leads = group.MapGroup("/leads").WithTags("Leads");
        leads.MapGet("/", ListAsync).WithName("ListLeads")
            .WithSummary("Lists a campaign's leads (optionally in one state) page by page, or a person's leads by email.").Require(policies, AicmoApiScopes.Read);
        leads.MapGet("/{id}", GetAsync).WithName("GetLead").WithSummary("Gets a lead with its whole audit trail.").Require(policies, AicmoApiScopes.Read);
        leads.MapGet("/{id}/outbox", OutboxAsync).WithName("GetLeadOutbox").WithSummary("Lists a lead's emails in the outbox, step by step.")
            .Require(policies, AicmoApiScopes.Read);
    }

    internal static async Task<Results<Ok<Page<LeadSummaryResponse>>, ProblemHttpResult>> ListAsync(
        HttpContext http, ILeadRepository store, ICampaignRepository campaigns, IOptions<AicmoApiOptions> options,
        string? campaignId = null, string? status = null, string? email = null, string? after = null, string? pageSize = null)
    {
        var max = options.Value.MaxPageSize;
        var take = Paging.DefaultLimit;
        if (pageSize is not null && (!int.TryParse(pageSize, NumberStyles.None, CultureInfo.InvariantCulture, out take) || take < 1 || take > max))
        {
            return P.Validation(http, "pageSize", $"An integer from 1 to {max}.");
        }

        LeadStatus? state = null;
        if (status is not null)
        {
            if (!Enum.TryParse<LeadStatus>(status, ignoreCase: true, out var parsed) || !Enum.IsDefined(parsed) || status.Any(char.IsDigit))
            {
                return P.Validation(http, "status", "One of " + string.Join(", ", Enum.GetNames<LeadStatus>()) + ".");
            }

            state = parsed;
        }

        if (!TryDecodeKey(after, out var key))
        {
            return P.Validation(http, "after", "Not a cursor this API returned.");
        }

        Campaign? campaign = null;
        if (campaignId is not null)
        {
            var found = await CampaignEndpoints.Find(http, campaigns, campaignId).ConfigureAwait(false);
            if (found.Problem is not null)
            {
                return found.Problem;
            }

            campaign = found.Value;
        }

        if (email is not null)
        {
            if (email.Length > 320 || LeadIdentity.ComputeKey(email, null, null, null) is not { } identity || !identity.Contains('@', StringComparison.Ordinal))
            {
                return P.Validation(http, "email", "An email address.");
            }

            var matches = new List<LeadSummaryResponse>();
            var scope = campaign is not null ? [campaign] : await campaigns.ListAsync(http.RequestAborted).ConfigureAwait(false);
            foreach (var c in scope)
            {
                if (await store.FindByIdentityAsync(c.Id, identity, http.RequestAborted).ConfigureAwait(false) is { } lead && (state is null || lead.Status == state))
                {
                    matches.Add(LeadSummaryResponse.From(lead));
                }
            }

            return TypedResults.Ok(new Page<LeadSummaryResponse>(matches, null));
        }

        if (campaign is null)
        {
            return P.Validation(http, "campaignId", "Name a campaign, or search by email.");
        }

        var page = await store.QueryAsync(new LeadQuery { CampaignId = campaign.Id, Status = state, After = key, Take = take + 1 }, http.RequestAborted).ConfigureAwait(false);
        var items = page.Take(take).ToList();
        var next = page.Count > take ? EncodeKey(LeadPageKey.Of(items[^1])) : null;
        return TypedResults.Ok(new Page<LeadSummaryResponse>([.. items.Select(LeadSummaryResponse.From)], next));
    }

    internal static async Task<Results<Ok<LeadDetailsResponse>, ProblemHttpResult>> GetAsync(HttpContext http, ILeadRepository store, IAuditLog audit, string id)
    {
        if (!Guid.TryParseExact(id, "D", out var leadId))
        {
            return P.Validation(http, "id", "Not a lead id.");
        }

        var lead = await store.GetAsync(leadId, http.RequestAborted).ConfigureAwait(false);
        if (lead is null)
        {
            return P.NotFound(http, $"No lead '{leadId}'.");
        }

        var trail = await audit.ReadAsync(leadId, http.RequestAborted).ConfigureAwait(false);
        return TypedResults.Ok(LeadDetailsResponse.From(lead, trail));
    }

    internal static async Task<Results<Ok<IReadOnlyList<OutboxEntryResponse>>, ProblemHttpResult>> OutboxAsync(
        HttpContext http, ILeadRepository store, IEmailOutbox outbox, string id)
    {
        if (!Guid.TryParseExact(id, "D", out var leadId))
        {
            return P.Validation(http, "id", "Not a lead id.");
        }

        var lead = await store.GetAsync(leadId, http.RequestAborted).ConfigureAwait(false);
        if (lead is null)
        {
            return P.NotFound(http, $"No lead '{leadId}'.");
        }

        // A lead is mailed in one sequence (the outbox keeps it when the lead is processed again), one entry per step from 1.
        var entries = new List<OutboxEntryResponse>();
        var sequence = await outbox.FindSequenceAsync(leadId, http.RequestAborted).ConfigureAwait(false);
        if (sequence is not null)
        {
            for (var step = 1; step <= MaxSteps; step++)
            {
                var entry = await outbox.GetAsync(new OutboxKey(leadId, sequence, step), http.RequestAborted).ConfigureAwait(false);
                if (entry is null)
                {
                    break;
                }

                entries.Add(OutboxEntryResponse.From(entry));
            }
        }

        return TypedResults.Ok<IReadOnlyList<OutboxEntryResponse>>(entries);
    }

    private static string EncodeKey(LeadPageKey key) =>
        Cursor.Encode(string.Create(CultureInfo.InvariantCulture, $"{key.CreatedAt.UtcTicks}.{key.Id:N}"));

    private static bool TryDecodeKey(string? cursor, out LeadPageKey? key)
    {
        key = null;
        if (!Cursor.TryDecode(cursor, out var text))
        {
            return false;
        }

        if (text is null)
        {
            return true;
        }

        var dot = text.IndexOf('.', StringComparison.Ordinal);
        if (dot <= 0 || !long.TryParse(text.AsSpan(0, dot), NumberStyles.None, CultureInfo.InvariantCulture, out var ticks)
            || ticks > DateTimeOffset.MaxValue.UtcTicks || !Guid.TryParseExact(text.AsSpan(dot + 1), "N", out var id))
        {
            return false;
        }

        key = new LeadPageKey(new DateTimeOffset(ticks, TimeSpan.Zero), id);
        return true;
    }
}
