using System.Globalization;
using Aicmo.Sdk.AspNetCore.Internal;
using Aicmo.Sdk.AspNetCore.Problems;
using Aicmo.Sdk.AspNetCore.Security;
using Aicmo.Sdk.Domain;
using Aicmo.Sdk.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;
using P = Aicmo.Sdk.AspNetCore.Problems.Internal.Problems;

namespace Aicmo.Sdk.AspNetCore.Campaigns.Internal;

/// <summary>Campaigns: list (paged by id), get (with ETag), create, replace (If-Match), archive.</summary>
internal static class CampaignEndpoints
{
    public static void Map(RouteGroupBuilder group, ApiPolicies policies)
    {
        var campaigns = group.MapGroup("/campaigns").WithTags("Campaigns");
        campaigns.MapGet("/", ListAsync).WithName("ListCampaigns").WithSummary("Lists campaigns by id, one page at a time.").Require(policies, AicmoApiScopes.Read);
        campaigns.MapGet("/{id}", GetAsync).WithName("GetCampaign").WithSummary("Gets a campaign; its ETag is its version.").Require(policies, AicmoApiScopes.Read);
        campaigns.MapPost("/", CreateAsync).WithName("CreateCampaign").WithSummary("Creates a campaign.")
            .JsonBody<CampaignRequest>().Require(policies, AicmoApiScopes.Operate);
        campaigns.MapPut("/{id}", ReplaceAsync).WithName("ReplaceCampaign").WithSummary("Replaces a campaign's fields; needs If-Match with its ETag.")
            .JsonBody<CampaignRequest>().Require(policies, AicmoApiScopes.Operate);
        campaigns.MapPost("/{id}/archive", ArchiveAsync).WithName("ArchiveCampaign").WithSummary("Archives a campaign: it stays readable, no run can start.")
            .Require(policies, AicmoApiScopes.Operate);
    }

    internal static async Task<Results<Ok<Page<CampaignResponse>>, ProblemHttpResult>> ListAsync(
        HttpContext http, ICampaignRepository store, IOptions<AicmoApiOptions> options, string? limit = null, string? cursor = null, bool includeArchived = false)
    {
        if (Paging.Check(http, limit, cursor, options.Value, out var take, out var after) is { } invalid)
        {
            return invalid;
        }

        var all = await store.ListAsync(http.RequestAborted).ConfigureAwait(false);
        var items = all.Where(c => (includeArchived || c.ArchivedAt is null) && (after is null || string.CompareOrdinal(c.Id, after) > 0))
            .Take(take + 1).ToList();
        var next = items.Count > take ? Cursor.Encode(items[take - 1].Id) : null;
        return TypedResults.Ok(new Page<CampaignResponse>([.. items.Take(take).Select(CampaignResponse.From)], next));
    }

    internal static async Task<Results<Ok<CampaignResponse>, ProblemHttpResult>> GetAsync(HttpContext http, ICampaignRepository store, string id)
    {
        var campaign = await Find(http, store, id).ConfigureAwait(false);
        if (campaign.Problem is not null)
        {
            return campaign.Problem;
        }

        http.Response.Headers.ETag = CampaignResponse.ETag(campaign.Value!);
        return TypedResults.Ok(CampaignResponse.From(campaign.Value!));
    }

    internal static async Task<Results<Created<CampaignResponse>, ProblemHttpResult>> CreateAsync(
        HttpContext http, ICampaignRepository store, CampaignWriteGate gate, TimeProvider time, IOptions<AicmoApiOptions> options)
    {
        var (body, problem) = await JsonBody.ReadAsync<CampaignRequest>(http).ConfigureAwait(false);
        if (problem is not null)
        {
            return problem;
        }

        var errors = CampaignValidation.Validate(body!, options.Value);
        if (errors.Count > 0)
        {
            return P.Validation(http, errors);
        }

        var now = time.GetUtcNow();
        var campaign = Apply(new Campaign { Id = body!.Id ?? NewId(), CreatedAt = now, UpdatedAt = now, Version = 1 }, body);
        await gate.Lock.WaitAsync(http.RequestAborted).ConfigureAwait(false);
        try
        {
            if (await NameTakenAsync(store, campaign.Name!, null, http.RequestAborted).ConfigureAwait(false))
            {
                return P.Conflict(http, "A campaign with this name exists.");
            }

            if (!await store.TryAddAsync(campaign, http.RequestAborted).ConfigureAwait(false))
            {
                return P.Conflict(http, "A campaign with this id exists.");
            }
        }
        finally
        {
            gate.Lock.Release();
        }

        http.Response.Headers.ETag = CampaignResponse.ETag(campaign);
        return TypedResults.Created(Location(http, campaign.Id), CampaignResponse.From(campaign));
    }

    internal static async Task<Results<Ok<CampaignResponse>, ProblemHttpResult>> ReplaceAsync(
        HttpContext http, ICampaignRepository store, CampaignWriteGate gate, TimeProvider time, IOptions<AicmoApiOptions> options, string id)
    {
        var found = await Find(http, store, id).ConfigureAwait(false);
        if (found.Problem is not null)
        {
            return found.Problem;
        }

        var (body, problem) = await JsonBody.ReadAsync<CampaignRequest>(http).ConfigureAwait(false);
        if (problem is not null)
        {
            return problem;
        }

        var errors = CampaignValidation.Validate(body!, options.Value);
        if (body!.Id is not null && body.Id != id)
        {
            errors["id"] = ["Must be absent or equal the id in the path."];
        }

        if (errors.Count > 0)
        {
            return P.Validation(http, errors);
        }

        if (Precondition(http, found.Value!) is { } failed)
        {
            return failed;
        }

        await gate.Lock.WaitAsync(http.RequestAborted).ConfigureAwait(false);
        try
        {
            var current = found.Value!;
            if (await NameTakenAsync(store, body.Name!, id, http.RequestAborted).ConfigureAwait(false))
            {
                return P.Conflict(http, "A campaign with this name exists.");
            }

            var changed = Apply(current, body) with { UpdatedAt = time.GetUtcNow(), Version = current.Version + 1 };
            if (!await store.UpdateAsync(changed, current.Version, http.RequestAborted).ConfigureAwait(false))
            {
                return Stale(http);
            }

            http.Response.Headers.ETag = CampaignResponse.ETag(changed);
            return TypedResults.Ok(CampaignResponse.From(changed));
        }
        finally
        {
            gate.Lock.Release();
        }
    }

    internal static async Task<Results<Ok<CampaignResponse>, ProblemHttpResult>> ArchiveAsync(HttpContext http, ICampaignRepository store, TimeProvider time, string id)
    {
        var found = await Find(http, store, id).ConfigureAwait(false);
        if (found.Problem is not null)
        {
            return found.Problem;
        }

        var current = found.Value!;
        if (http.Request.Headers.IfMatch.Count > 0 && Precondition(http, current) is { } failed)
        {
            return failed;
        }

        if (current.ArchivedAt is not null)
        {
            http.Response.Headers.ETag = CampaignResponse.ETag(current);
            return TypedResults.Ok(CampaignResponse.From(current));
        }

        var now = time.GetUtcNow();
        var archived = current with { Active = false, ArchivedAt = now, UpdatedAt = now, Version = current.Version + 1 };
        if (!await store.UpdateAsync(archived, current.Version, http.RequestAborted).ConfigureAwait(false))
        {
            return Stale(http);
        }

        http.Response.Headers.ETag = CampaignResponse.ETag(archived);
        return TypedResults.Ok(CampaignResponse.From(archived));
    }

    /// <summary>Finds a campaign by a path id: 400 for an id that could never exist (path tricks included), 404 when unknown.</summary>
    internal static async Task<(Campaign? Value, ProblemHttpResult? Problem)> Find(HttpContext http, ICampaignRepository store, string id)
    {
        if (!TextRules.IsValidId(id))
        {
            return (null, P.Validation(http, "id", "Not a campaign id."));
        }

        var campaign = await store.GetAsync(id, http.RequestAborted).ConfigureAwait(false);
        return campaign is null ? (null, P.NotFound(http, $"No campaign '{id}'.")) : (campaign, null);
    }

    internal static string Location(HttpContext http, string id) => ApiRoutes.PathOf(http, "/campaigns/" + id);

    private static ProblemHttpResult? Precondition(HttpContext http, Campaign current)
    {
        var ifMatch = http.Request.Headers.IfMatch;
        if (ifMatch.Count == 0)
        {
            return P.Create(http, StatusCodes.Status428PreconditionRequired, AicmoProblemTypes.PreconditionRequired, "Precondition required.",
                "Send If-Match with the ETag you read.");
        }

        var etag = CampaignResponse.ETag(current);
        var matches = ifMatch.Any(v => v is not null && v.Split(',').Any(t => t.Trim() is var tag && (tag == "*" || tag == etag || tag == "W/" + etag)));
        return matches ? null : Stale(http);
    }

    private static ProblemHttpResult Stale(HttpContext http) =>
        P.Create(http, StatusCodes.Status412PreconditionFailed, AicmoProblemTypes.PreconditionFailed, "Precondition failed.",
            "The campaign changed since you read it; read it again and retry.");

    private static async Task<bool> NameTakenAsync(ICampaignRepository store, string name, string? exceptId, CancellationToken cancellationToken)
    {
        var all = await store.ListAsync(cancellationToken).ConfigureAwait(false);
        return all.Any(c => c.Id != exceptId && string.Equals(c.Name?.Trim(), name.Trim(), StringComparison.OrdinalIgnoreCase));
    }

    private static Campaign Apply(Campaign campaign, CampaignRequest body) => campaign with
    {
        Name = body.Name,
        Description = body.Description,
        TargetNiche = body.TargetNiche,
        ServiceKey = body.ServiceKey,
        TargetClients = body.TargetClients,
        TargetMonthlyRevenue = body.TargetMonthlyRevenue,
        Active = campaign.ArchivedAt is null && (body.Active ?? true),
        Settings = body.Settings is null
            ? null
            : new CampaignSettings { MaxLeadsPerRun = body.Settings.MaxLeadsPerRun, Sources = [.. body.Settings.Sources ?? []], Sequence = body.Settings.Sequence },
    };

    private static string NewId() => "c-" + Guid.NewGuid().ToString("N", CultureInfo.InvariantCulture)[..20];
}
