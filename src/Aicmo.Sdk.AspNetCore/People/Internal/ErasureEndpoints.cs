using Aicmo.Sdk.AspNetCore.Internal;
using Aicmo.Sdk.AspNetCore.Security;
using Aicmo.Sdk.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using P = Aicmo.Sdk.AspNetCore.Problems.Internal.Problems;

namespace Aicmo.Sdk.AspNetCore.People.Internal;

/// <summary>Erasure of a person by address across every campaign (admin scope).</summary>
internal static class ErasureEndpoints
{
    public const int MaxReason = 200;

    public static void Map(RouteGroupBuilder group, ApiPolicies policies) =>
        group.MapPost("/erasures", EraseAsync).WithTags("Erasures").WithName("ErasePerson")
            .WithSummary("Erases every copy of a person, found by address in every campaign; the address stays suppressed as a keyed hash.")
            .JsonBody<ErasureRequest>().Require(policies, AicmoApiScopes.Admin);

    internal static async Task<Results<Ok<ErasureResponse>, ProblemHttpResult>> EraseAsync(HttpContext http, LeadEraser eraser)
    {
        var (body, problem) = await JsonBody.ReadAsync<ErasureRequest>(http).ConfigureAwait(false);
        if (problem is not null)
        {
            return problem;
        }

        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (EmailRules.Check(body!.Email, out var email) is { } invalid)
        {
            errors["email"] = [invalid];
        }

        if (TextRules.Check(body.Reason, MaxReason, spreadsheetCell: true) is { } reasonProblem)
        {
            errors["reason"] = [reasonProblem];
        }
        else if (body.Reason is not null && body.Reason.Contains('@', StringComparison.Ordinal))
        {
            // The reason stays in the audit trail after the erasure, so it must not quote an address.
            errors["reason"] = ["Must not hold an email address; give the request's reference."];
        }

        if (errors.Count > 0)
        {
            return P.Validation(http, errors);
        }

        // Not cancelled with the request: an erasure that started runs to its end, so no copy is left half-erased.
        var result = await eraser.EraseEmailAsync(email, body.Reason ?? "erasure requested", CancellationToken.None).ConfigureAwait(false);
        return TypedResults.Ok(ErasureResponse.From(result));
    }
}
