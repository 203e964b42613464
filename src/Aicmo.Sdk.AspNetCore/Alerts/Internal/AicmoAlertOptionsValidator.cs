using Microsoft.Extensions.Options;

namespace Aicmo.Sdk.AspNetCore.Alerts.Internal;

/// <summary>Checks <see cref="AicmoAlertOptions"/> at start-up; each failure names the option.</summary>
internal sealed class AicmoAlertOptionsValidator : IValidateOptions<AicmoAlertOptions>
{
    public ValidateOptionsResult Validate(string? name, AicmoAlertOptions options)
    {
        var failures = new List<string>();
        if (options.ConsecutiveFailedRuns < 1)
        {
            failures.Add($"AicmoAlertOptions.ConsecutiveFailedRuns must be at least 1; it is {options.ConsecutiveFailedRuns}.");
        }

        if (options.RecentRuns < options.ConsecutiveFailedRuns)
        {
            failures.Add($"AicmoAlertOptions.RecentRuns ({options.RecentRuns}) must be at least ConsecutiveFailedRuns ({options.ConsecutiveFailedRuns}).");
        }

        if (options.RecentRuns > 1000)
        {
            failures.Add($"AicmoAlertOptions.RecentRuns must be at most 1000; it is {options.RecentRuns}.");
        }

        Rate(options.QuarantineRateThreshold, nameof(options.QuarantineRateThreshold));
        Rate(options.SendFailureRateThreshold, nameof(options.SendFailureRateThreshold));
        if (options.MinimumSampleSize < 1)
        {
            failures.Add($"AicmoAlertOptions.MinimumSampleSize must be at least 1; it is {options.MinimumSampleSize}.");
        }

        if (options.MisfireWindow <= TimeSpan.Zero)
        {
            failures.Add($"AicmoAlertOptions.MisfireWindow must be positive; it is {options.MisfireWindow}.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);

        void Rate(double value, string option)
        {
            if (!(value >= 0 && value <= 1))
            {
                failures.Add($"AicmoAlertOptions.{option} must be from 0 to 1; it is {value}.");
            }
        }
    }
}
