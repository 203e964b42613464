using System.Globalization;
using Aicmo.Sdk.Enrichment;
using Aicmo.Sdk.Http.Internal;
using Aicmo.Sdk.Http.Security.Internal;
using Microsoft.Extensions.Options;

namespace Aicmo.Sdk.Http.Enrichment;

/// <summary>Validates <see cref="HttpEnrichmentProviderOptions"/>; every failure names the option.</summary>
public sealed class HttpEnrichmentProviderOptionsValidator : IValidateOptions<HttpEnrichmentProviderOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, HttpEnrichmentProviderOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = Check(options);
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    internal static List<string> Check(HttpEnrichmentProviderOptions o)
    {
        const string P = nameof(HttpEnrichmentProviderOptions) + ".";
        var failures = new List<string>();
        void Check(bool ok, string message)
        {
            if (!ok)
            {
                failures.Add(P + message);
            }
        }

        Check(o.BaseAddress is { IsAbsoluteUri: true } b && (b.Scheme == Uri.UriSchemeHttps || b.Scheme == Uri.UriSchemeHttp), "BaseAddress must be an absolute http or https address.");
        var batched = !string.IsNullOrWhiteSpace(o.BatchPath);
        Check(batched || !string.IsNullOrWhiteSpace(o.Path), "Path is required (or BatchPath, for a batch endpoint).");
        if (batched)
        {
            var placeholder = o.LookupBy == HttpLookupKey.Email ? "{email}" : "{domain}";
            Check(o.BatchBody?.Contains("{items}", StringComparison.Ordinal) == true, "BatchBody must contain {items}.");
            Check(o.BatchItem?.Contains(placeholder, StringComparison.Ordinal) == true, $"BatchItem must contain {placeholder} (LookupBy is {o.LookupBy}).");
            Check(!string.IsNullOrWhiteSpace(o.BatchResultsPath) && JsonPath.TryParse(o.BatchResultsPath, out _), $"BatchResultsPath \"{o.BatchResultsPath}\" is not a JSON path.");
            Check(string.IsNullOrWhiteSpace(o.BatchMatchPath) || JsonPath.TryParse(o.BatchMatchPath, out _), $"BatchMatchPath \"{o.BatchMatchPath}\" is not a JSON path.");
            Check(string.IsNullOrWhiteSpace(o.BatchErrorPath) || JsonPath.TryParse(o.BatchErrorPath, out _), $"BatchErrorPath \"{o.BatchErrorPath}\" is not a JSON path.");
            Check(o.MaxBatchSize is >= 1 and <= 10_000, string.Create(CultureInfo.InvariantCulture, $"MaxBatchSize must be between 1 and 10000 (was {o.MaxBatchSize})."));
            Check(o.BatchWindow >= TimeSpan.Zero && o.BatchWindow <= TimeSpan.FromSeconds(10), $"BatchWindow must be between 0 and 10 seconds (was {o.BatchWindow}).");
        }

        Check(string.Equals(o.Method, "GET", StringComparison.OrdinalIgnoreCase) || string.Equals(o.Method, "POST", StringComparison.OrdinalIgnoreCase), $"Method must be GET or POST (was \"{o.Method}\").");
        Check(Enum.IsDefined(o.LookupBy), $"LookupBy must be Email or Domain (was {o.LookupBy}).");
        Check(JsonPath.TryParse(o.ResultPath ?? string.Empty, out _), $"ResultPath \"{o.ResultPath}\" is not a JSON path.");
        Check(string.IsNullOrWhiteSpace(o.ConfidencePath) || JsonPath.TryParse(o.ConfidencePath, out _), $"ConfidencePath \"{o.ConfidencePath}\" is not a JSON path.");
        Check(o.Fields.Count > 0, "Fields must map at least one field.");
        foreach (var (field, path) in o.Fields)
        {
            Check(EnrichmentFields.All.Contains(field), $"Fields[\"{field}\"]: \"{field}\" is not one of {string.Join(", ", EnrichmentFields.All)}.");
            Check(!string.IsNullOrWhiteSpace(path) && JsonPath.TryParse(path, out _), $"Fields[\"{field}\"]: \"{path}\" is not a JSON path.");
        }

        foreach (var (header, value) in o.Headers)
        {
            Check(header.Length > 0 && header.All(c => c > ' ' && c < 0x7F && c != ':'), $"Headers[\"{header}\"] is not a valid header name.");
            Check(value is not null && !value.Any(c => c is '\r' or '\n' or '\0'), $"Headers[\"{header}\"] holds a line break or NUL.");
        }

        Check(o.Confidence is >= 0 and <= 1, string.Create(CultureInfo.InvariantCulture, $"Confidence must be between 0 and 1 (was {o.Confidence})."));
        Check(o.MaxResponseBytes is >= 1024 and <= 1 << 30, string.Create(CultureInfo.InvariantCulture, $"MaxResponseBytes must be between 1024 and 1073741824 (was {o.MaxResponseBytes})."));
        Check(o.AttemptTimeout >= TimeSpan.FromMilliseconds(10) && o.AttemptTimeout <= TimeSpan.FromHours(1), $"AttemptTimeout must be between 10 ms and 1 hour (was {o.AttemptTimeout}).");
        Check(o.TotalTimeout > o.AttemptTimeout && o.TotalTimeout <= TimeSpan.FromDays(1), $"TotalTimeout must be longer than AttemptTimeout and at most 1 day ({o.TotalTimeout} vs {o.AttemptTimeout}).");
        Check(o.MaxRetryAttempts is >= 0 and <= 20, string.Create(CultureInfo.InvariantCulture, $"MaxRetryAttempts must be between 0 and 20 (was {o.MaxRetryAttempts})."));
        Check(o.RetryBaseDelay >= TimeSpan.Zero && o.RetryBaseDelay <= TimeSpan.FromMinutes(10), $"RetryBaseDelay must be between 0 and 10 minutes (was {o.RetryBaseDelay}).");
        Check(o.CircuitBreakerFailureRatio is > 0 and <= 1, string.Create(CultureInfo.InvariantCulture, $"CircuitBreakerFailureRatio must be above 0 and at most 1 (was {o.CircuitBreakerFailureRatio})."));
        Check(o.CircuitBreakerMinimumThroughput >= 2, string.Create(CultureInfo.InvariantCulture, $"CircuitBreakerMinimumThroughput must be at least 2 (was {o.CircuitBreakerMinimumThroughput})."));
        Check(o.CircuitBreakerBreakDuration >= TimeSpan.FromMilliseconds(500), $"CircuitBreakerBreakDuration must be at least 500 ms (was {o.CircuitBreakerBreakDuration}).");
        Check(o.Guard.MaxRedirects is >= 0 and <= 20, string.Create(CultureInfo.InvariantCulture, $"Guard.MaxRedirects must be between 0 and 20 (was {o.Guard.MaxRedirects})."));
        foreach (var endpoint in o.Guard.AllowedPrivateEndpoints)
        {
            Check(HttpEndpointGuard.IsValidEndpoint(endpoint), $"Guard.AllowedPrivateEndpoints entry \"{endpoint}\" is not host:port or a URI.");
        }

        return failures;
    }
}
