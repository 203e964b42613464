using Aicmo.Sdk.AspNetCore.Internal;
using Aicmo.Sdk.AspNetCore.Security;
using Aicmo.Sdk.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;
using P = Aicmo.Sdk.AspNetCore.Problems.Internal.Problems;

namespace Aicmo.Sdk.AspNetCore.People.Internal;

/// <summary>The suppression list: list (paged by address), add, remove. An erased person's hashed entry cannot be removed.</summary>
internal static class SuppressionEndpoints
{
    public static void Map(RouteGroupBuilder group, ApiPolicies policies)
    {
        var suppressions = group.MapGroup("/suppressions").WithTags("Suppressions");
        suppressions.MapGet("/", ListAsync).WithName("ListSuppressions").WithSummary("Lists suppressed addresses in order, one page at a time.")
            .Require(policies, AicmoApiScopes.Read);
        suppressions.MapPost("/", AddAsync).WithName("AddSuppression").WithSummary("Suppresses an address: no email reaches it from any campaign.")
            .JsonBody<SuppressionRequest>().Require(policies, AicmoApiScopes.Operate);
        suppressions.MapDelete("/{email}", RemoveAsync).WithName("RemoveSuppression").WithSummary("Lets an address be mailed again (not one erased on request).")
            .Require(policies, AicmoApiScopes.Operate);
    }

    internal static async Task<Results<Ok<Page<SuppressionResponse>>, ProblemHttpResult>> ListAsync(
        HttpContext http, ISuppressionList store, IOptions<AicmoApiOptions> options, string? limit = null, string? cursor = null)
    {
        if (Paging.Check(http, limit, cursor, options.Value, out var take, out var after) is { } invalid)
        {
            return invalid;
        }

        var page = await store.ListAsync(after, take + 1, http.RequestAborted).ConfigureAwait(false);
        var next = page.Count > take ? Cursor.Encode(page[take - 1].Email) : null;
        return TypedResults.Ok(new Page<SuppressionResponse>([.. page.Take(take).Select(SuppressionResponse.From)], next));
    }

    internal static async Task<Results<Created<SuppressionResponse>, Ok<SuppressionResponse>, ProblemHttpResult>> AddAsync(
        HttpContext http, ISuppressionList store, TimeProvider time)
    {
        var (body, problem) = await JsonBody.ReadAsync<SuppressionRequest>(http).ConfigureAwait(false);
        if (problem is not null)
        {
            return problem;
        }

        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (EmailRules.Check(body!.Email, out var email) is { } invalid)
        {
            errors["email"] = [invalid];
        }

        var reason = SuppressionReasons.ParseSettable(body.Reason);
        if (reason is null)
        {
            errors["reason"] = ["'manual', 'unsubscribed', 'bounced' or 'complained'."];
        }

        if (errors.Count > 0)
        {
            return P.Validation(http, errors);
        }

        if (await store.GetAsync(email, http.RequestAborted).ConfigureAwait(false) is { } existing)
        {
            // Already suppressed: nothing changes (an erasure or a bounce is not overwritten by a manual entry).
            return TypedResults.Ok(SuppressionResponse.From(existing));
        }

        var entry = new SuppressionEntry(email, reason!.Value, time.GetUtcNow());
        await store.AddAsync(entry, http.RequestAborted).ConfigureAwait(false);
        return TypedResults.Created(ApiRoutes.PathOf(http, "/suppressions/" + Uri.EscapeDataString(email)), SuppressionResponse.From(entry));
    }

    internal static async Task<Results<NoContent, ProblemHttpResult>> RemoveAsync(HttpContext http, ISuppressionList store, SuppressionHasher hasher, string email)
    {
        if (EmailRules.Check(email, out var normalized) is { } invalid)
        {
            return P.Validation(http, "email", invalid);
        }

        var found = await store.FindAsync(normalized, hasher, http.RequestAborted).ConfigureAwait(false);
        if (found is null)
        {
            return P.NotFound(http, "The address is not suppressed.");
        }

        if (found.Reason == SuppressionReason.Erased)
        {
            return P.Conflict(http, "The person's data was erased on request; the address stays suppressed.");
        }

        await store.RemoveAsync(normalized, http.RequestAborted).ConfigureAwait(false);
        return TypedResults.NoContent();
    }
}
