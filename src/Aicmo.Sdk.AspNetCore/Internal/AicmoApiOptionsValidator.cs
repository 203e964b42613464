using Microsoft.Extensions.Options;

namespace Aicmo.Sdk.AspNetCore.Internal;

/// <summary>Checks <see cref="AicmoApiOptions"/> at start-up; each failure names the option.</summary>
internal sealed class AicmoApiOptionsValidator : IValidateOptions<AicmoApiOptions>
{
    public ValidateOptionsResult Validate(string? name, AicmoApiOptions options)
    {
        var failures = new List<string>();
        var hostPolicies = options.ReadPolicy is not null || options.OperatePolicy is not null || options.AdminPolicy is not null;
        if (!options.AllowAnonymous && options.ApiKeys.Count == 0 && !hostPolicies)
        {
            failures.Add("AicmoApiOptions: no caller can be authenticated. Add ApiKeys, name the host's policies (ReadPolicy, OperatePolicy, AdminPolicy), or set AllowAnonymous = true (development only).");
        }

        var names = new HashSet<string>(StringComparer.Ordinal);
        var hashes = new HashSet<string>(StringComparer.Ordinal);
        foreach (var key in options.ApiKeys)
        {
            if (key is null || string.IsNullOrWhiteSpace(key.Name))
            {
                failures.Add("AicmoApiOptions.ApiKeys: every key needs a Name.");
                continue;
            }

            if (key.KeyHash is not { Length: 64 } || !key.KeyHash.All(char.IsAsciiHexDigitLower))
            {
                failures.Add($"AicmoApiOptions.ApiKeys: key '{key.Name}' has a KeyHash that is not a lower-case hex SHA-256 (use AicmoApiKey.FromPlainKey or AicmoApiKey.Hash).");
            }

            if (key.Scopes == Security.AicmoApiScopes.None)
            {
                failures.Add($"AicmoApiOptions.ApiKeys: key '{key.Name}' has no Scopes.");
            }

            if (!names.Add(key.Name))
            {
                failures.Add($"AicmoApiOptions.ApiKeys: the name '{key.Name}' is used twice.");
            }

            if (key.KeyHash is not null && !hashes.Add(key.KeyHash))
            {
                failures.Add($"AicmoApiOptions.ApiKeys: key '{key.Name}' has the same key as another one.");
            }
        }

        if (options.EmailEventsSecret is { Length: < Webhooks.AicmoWebhookSignature.MinimumSecretLength })
        {
            failures.Add($"AicmoApiOptions.EmailEventsSecret must be at least {Webhooks.AicmoWebhookSignature.MinimumSecretLength} characters long when set (was {options.EmailEventsSecret.Length}).");
        }

        if (options.EmailEventsTolerance < TimeSpan.FromSeconds(1) || options.EmailEventsTolerance > TimeSpan.FromHours(1))
        {
            failures.Add($"AicmoApiOptions.EmailEventsTolerance must be between 1 second and 1 hour; it is {options.EmailEventsTolerance}.");
        }

        Positive(options.RateLimitPermits, nameof(options.RateLimitPermits));
        Positive(options.MaxRequestBodyBytes, nameof(options.MaxRequestBodyBytes));
        Positive(options.MaxPageSize, nameof(options.MaxPageSize));
        Positive(options.MaxLeadsPerRunLimit, nameof(options.MaxLeadsPerRunLimit));
        Positive(options.SubscriberBufferSize, nameof(options.SubscriberBufferSize));
        Positive(options.ReplayBufferSize, nameof(options.ReplayBufferSize));
        PositiveTime(options.RateLimitWindow, nameof(options.RateLimitWindow));
        PositiveTime(options.HeartbeatInterval, nameof(options.HeartbeatInterval));
        PositiveTime(options.FinishedRunRetention, nameof(options.FinishedRunRetention));
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);

        void Positive(long value, string option)
        {
            if (value <= 0)
            {
                failures.Add($"AicmoApiOptions.{option} must be positive; it is {value}.");
            }
        }

        void PositiveTime(TimeSpan value, string option)
        {
            if (value <= TimeSpan.Zero)
            {
                failures.Add($"AicmoApiOptions.{option} must be positive; it is {value}.");
            }
        }
    }
}
