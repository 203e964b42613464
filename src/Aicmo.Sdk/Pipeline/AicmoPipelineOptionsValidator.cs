using Microsoft.Extensions.Options;

namespace Aicmo.Sdk.Pipeline;

/// <summary>Validates <see cref="AicmoPipelineOptions"/>; every failure names the option and the accepted range.</summary>
public sealed class AicmoPipelineOptionsValidator : IValidateOptions<AicmoPipelineOptions>
{
    private static readonly TimeSpan MaxTimeout = TimeSpan.FromDays(1);

    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, AicmoPipelineOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        void Check(bool ok, string message)
        {
            if (!ok)
            {
                failures.Add(message);
            }
        }

        const string P = nameof(AicmoPipelineOptions) + ".";
        Check(options.ChannelCapacity is >= 1 and <= 1_048_576, $"{P}{nameof(options.ChannelCapacity)} must be between 1 and 1048576 (was {options.ChannelCapacity}).");
        Check(options.BatchSize is >= 1 and <= 4096, $"{P}{nameof(options.BatchSize)} must be between 1 and 4096 (was {options.BatchSize}).");
        Check(options.DegreeOfParallelism is >= 1 and <= 1024, $"{P}{nameof(options.DegreeOfParallelism)} must be between 1 and 1024 (was {options.DegreeOfParallelism}).");
        foreach (var (stage, p) in options.StageParallelism)
        {
            Check(p is >= 1 and <= 1024, $"{P}{nameof(options.StageParallelism)}[\"{stage}\"] must be between 1 and 1024 (was {p}).");
        }

        CheckTimeout(options.StageTimeout, $"{P}{nameof(options.StageTimeout)}", failures);
        foreach (var (stage, t) in options.StageTimeouts)
        {
            CheckTimeout(t, $"{P}{nameof(options.StageTimeouts)}[\"{stage}\"]", failures);
        }

        failures.AddRange(options.Retry.Validate($"{P}Retry"));
        Check(options.ProgressInterval >= TimeSpan.FromMilliseconds(10), $"{P}{nameof(options.ProgressInterval)} must be at least 10 ms (was {options.ProgressInterval}).");
        Check(options.InterruptedRunTimeout >= TimeSpan.FromSeconds(5), $"{P}{nameof(options.InterruptedRunTimeout)} must be at least 5 seconds (was {options.InterruptedRunTimeout}).");
        Check(options.CancellationDrainTimeout >= TimeSpan.Zero, $"{P}{nameof(options.CancellationDrainTimeout)} cannot be negative (was {options.CancellationDrainTimeout}).");
        Check(options.MaxRetainedQuarantineEvents >= 0, $"{P}{nameof(options.MaxRetainedQuarantineEvents)} cannot be negative.");

        // The engines' sections (Scoring, Routing, Nurture, ...) are their own options, each validated by its own validator.
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void CheckTimeout(TimeSpan value, string option, List<string> failures)
    {
        if (value != Timeout.InfiniteTimeSpan && (value <= TimeSpan.Zero || value > MaxTimeout))
        {
            failures.Add($"{option} must be greater than 0 and at most 1 day, or Timeout.InfiniteTimeSpan (was {value}).");
        }
    }
}
