using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Aicmo.Sdk.Http.Internal;
using Aicmo.Sdk.Http.Security.Internal;
using Aicmo.Sdk.Http.Sources.Internal;
using Microsoft.Extensions.Options;

namespace Aicmo.Sdk.Http.Sources;

/// <summary>Validates <see cref="HttpLeadSourceOptions"/>; every failure names the option.</summary>
public sealed class HttpLeadSourceOptionsValidator : IValidateOptions<HttpLeadSourceOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, HttpLeadSourceOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = Check(options);
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    internal static List<string> Check(HttpLeadSourceOptions o)
    {
        const string P = nameof(HttpLeadSourceOptions) + ".";
        var failures = new List<string>();
        void Check(bool ok, string message)
        {
            if (!ok)
            {
                failures.Add(P + message);
            }
        }

        Check(o.BaseAddress is { IsAbsoluteUri: true } b && (b.Scheme == Uri.UriSchemeHttps || b.Scheme == Uri.UriSchemeHttp), "BaseAddress must be an absolute http or https address.");
        Check(!string.IsNullOrWhiteSpace(o.Path), "Path is required.");
        var post = string.Equals(o.Method, "POST", StringComparison.OrdinalIgnoreCase);
        Check(post || string.Equals(o.Method, "GET", StringComparison.OrdinalIgnoreCase), $"Method must be GET or POST (was \"{o.Method}\").");
        if (post)
        {
            Check(IsJsonObject(o.Body), "Body must be a JSON object.");
        }

        Check(Enum.IsDefined(o.Pagination), $"Pagination must be Page, Offset or Cursor (was {o.Pagination}).");
        Check(o.PageSize is >= 1 and <= 100_000, string.Create(CultureInfo.InvariantCulture, $"PageSize must be between 1 and 100000 (was {o.PageSize})."));
        Check(JsonPath.TryParse(o.ItemsPath ?? string.Empty, out _), $"ItemsPath \"{o.ItemsPath}\" is not a JSON path.");
        Check(JsonPath.TryParse(o.NextCursorPath ?? string.Empty, out _), $"NextCursorPath \"{o.NextCursorPath}\" is not a JSON path.");
        Check(o.Fields.Count > 0, "Fields must map at least one field.");
        foreach (var (target, path) in o.Fields)
        {
            Check(FieldMapping.IsValidTarget(target), $"Fields[\"{target}\"]: \"{target}\" is not a lead field or \"attribute:name\".");
            Check(!string.IsNullOrWhiteSpace(path) && JsonPath.TryParse(path, out _), $"Fields[\"{target}\"]: \"{path}\" is not a JSON path.");
        }

        foreach (var (header, value) in o.Headers)
        {
            Check(header.Length > 0 && header.All(c => c > ' ' && c < 0x7F && c != ':'), $"Headers[\"{header}\"] is not a valid header name.");
            Check(value is not null && !value.Any(c => c is '\r' or '\n' or '\0'), $"Headers[\"{header}\"] holds a line break or NUL.");
        }

        Check(o.MaxResponseBytes is >= 1024 and <= 1 << 30, string.Create(CultureInfo.InvariantCulture, $"MaxResponseBytes must be between 1024 and 1073741824 (was {o.MaxResponseBytes})."));
        Check(o.AttemptTimeout >= TimeSpan.FromMilliseconds(10) && o.AttemptTimeout <= TimeSpan.FromHours(1), $"AttemptTimeout must be between 10 ms and 1 hour (was {o.AttemptTimeout}).");
        Check(o.TotalTimeout > o.AttemptTimeout && o.TotalTimeout <= TimeSpan.FromDays(1), $"TotalTimeout must be longer than AttemptTimeout and at most 1 day ({o.TotalTimeout} vs {o.AttemptTimeout}).");
        Check(o.MaxRetryAttempts is >= 0 and <= 20, string.Create(CultureInfo.InvariantCulture, $"MaxRetryAttempts must be between 0 and 20 (was {o.MaxRetryAttempts})."));
        Check(o.RetryBaseDelay >= TimeSpan.Zero && o.RetryBaseDelay <= TimeSpan.FromMinutes(10), $"RetryBaseDelay must be between 0 and 10 minutes (was {o.RetryBaseDelay}).");
        Check(o.CircuitBreakerFailureRatio is > 0 and <= 1, string.Create(CultureInfo.InvariantCulture, $"CircuitBreakerFailureRatio must be above 0 and at most 1 (was {o.CircuitBreakerFailureRatio})."));
        Check(o.CircuitBreakerMinimumThroughput >= 2, string.Create(CultureInfo.InvariantCulture, $"CircuitBreakerMinimumThroughput must be at least 2 (was {o.CircuitBreakerMinimumThroughput})."));
        Check(o.CircuitBreakerBreakDuration >= TimeSpan.FromMilliseconds(500), $"CircuitBreakerBreakDuration must be at least 500 ms (was {o.CircuitBreakerBreakDuration}).");
        Check(o.MaxRateLimitWait >= TimeSpan.Zero, $"MaxRateLimitWait cannot be negative (was {o.MaxRateLimitWait}).");
        Check(o.Guard.MaxRedirects is >= 0 and <= 20, string.Create(CultureInfo.InvariantCulture, $"Guard.MaxRedirects must be between 0 and 20 (was {o.Guard.MaxRedirects})."));
        foreach (var endpoint in o.Guard.AllowedPrivateEndpoints)
        {
            Check(HttpEndpointGuard.IsValidEndpoint(endpoint), $"Guard.AllowedPrivateEndpoints entry \"{endpoint}\" is not host:port or a URI.");
        }

        return failures;
    }

    private static bool IsJsonObject(string? text)
    {
        try
        {
            return text is not null && JsonNode.Parse(text) is JsonObject;
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
