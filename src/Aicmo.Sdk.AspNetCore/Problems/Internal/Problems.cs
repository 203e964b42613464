using System.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Aicmo.Sdk.AspNetCore.Problems.Internal;

/// <summary>Builds the API's problem details: a stable type URI, a title, the request and trace ids, and never an exception's text.</summary>
internal static class Problems
{
    public static ProblemHttpResult Create(HttpContext context, int status, string type, string title, string? detail = null, IDictionary<string, string[]>? errors = null)
    {
        var problem = errors is null
            ? new ProblemDetails()
            : new HttpValidationProblemDetails(errors);
        problem.Status = status;
        problem.Type = type;
        problem.Title = title;
        problem.Detail = detail;
        problem.Instance = context.Request.Path;
        Stamp(context, problem);
        return TypedResults.Problem(problem);
    }

    public static void Stamp(HttpContext context, ProblemDetails problem)
    {
        problem.Extensions["requestId"] = context.TraceIdentifier;
        problem.Extensions["traceId"] = Activity.Current?.TraceId.ToString() ?? context.TraceIdentifier;
    }

    public static ProblemHttpResult Validation(HttpContext context, string field, string message) =>
        Create(context, StatusCodes.Status400BadRequest, AicmoProblemTypes.Validation, "One or more fields are invalid.", $"{field}: {message}",
            new Dictionary<string, string[]>(StringComparer.Ordinal) { [field] = [message] });

    public static ProblemHttpResult Validation(HttpContext context, IDictionary<string, string[]> errors) =>
        Create(context, StatusCodes.Status400BadRequest, AicmoProblemTypes.Validation, "One or more fields are invalid.",
            string.Join("; ", errors.Select(e => e.Key + ": " + string.Join(" ", e.Value))), errors);

    public static ProblemHttpResult NotFound(HttpContext context, string what) =>
        Create(context, StatusCodes.Status404NotFound, AicmoProblemTypes.NotFound, "Not found.", what);

    public static ProblemHttpResult Conflict(HttpContext context, string detail) =>
        Create(context, StatusCodes.Status409Conflict, AicmoProblemTypes.Conflict, "Conflict.", detail);
}
