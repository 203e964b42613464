namespace Aicmo.Sdk.AspNetCore.Problems;

/// <summary>The stable <c>type</c> URIs of the API's problem details (RFC 9457). Clients may switch on them; they never change.</summary>
public static class AicmoProblemTypes
{
    /// <summary>A field is missing, malformed, unknown or out of range; <c>errors</c> names each field.</summary>
    public const string Validation = "urn:aicmo:problem:validation";

    /// <summary>The body is not valid JSON.</summary>
    public const string MalformedBody = "urn:aicmo:problem:malformed-body";

    /// <summary>No credentials, or credentials that are not valid.</summary>
    public const string Unauthenticated = "urn:aicmo:problem:unauthenticated";

    /// <summary>The caller is known but may not do this.</summary>
    public const string Forbidden = "urn:aicmo:problem:forbidden";

    /// <summary>The resource does not exist.</summary>
    public const string NotFound = "urn:aicmo:problem:not-found";

    /// <summary>The request conflicts with the resource's state (a duplicate name, a run that already ended).</summary>
    public const string Conflict = "urn:aicmo:problem:conflict";

    /// <summary>The resource changed since the caller read it (<c>If-Match</c> no longer matches its ETag).</summary>
    public const string PreconditionFailed = "urn:aicmo:problem:precondition-failed";

    /// <summary>A change was sent without <c>If-Match</c>.</summary>
    public const string PreconditionRequired = "urn:aicmo:problem:precondition-required";

    /// <summary>The body is larger than the API accepts.</summary>
    public const string PayloadTooLarge = "urn:aicmo:problem:payload-too-large";

    /// <summary>The body is not <c>application/json</c>.</summary>
    public const string UnsupportedMediaType = "urn:aicmo:problem:unsupported-media-type";

    /// <summary>The caller made too many requests; <c>Retry-After</c> says when to try again.</summary>
    public const string RateLimited = "urn:aicmo:problem:rate-limited";

    /// <summary>The store does not support the operation.</summary>
    public const string NotSupported = "urn:aicmo:problem:not-supported";

    /// <summary>An unexpected error; the response carries ids to find it in the logs, never its details.</summary>
    public const string Internal = "urn:aicmo:problem:internal";
}
