using Aicmo.Sdk.Stages;

namespace Aicmo.Sdk.Nurture;

/// <summary>
/// Options of <see cref="NurtureService"/>: whether it sends, how many sends of one pass run at once, and how a transient send
/// error is retried.
/// </summary>
/// <remarks>
/// When the pipeline is registered with <c>AddAicmoPipeline</c>, these start as the pipeline's own settings, so one configuration
/// section sets the runner and the nurture passes alike: <see cref="DryRun"/> is <c>AicmoPipelineOptions.DryRun</c>,
/// <see cref="MaxParallelism"/> the nurture stage's parallelism (<c>AicmoPipelineOptions.ParallelismFor("nurture")</c>) and
/// <see cref="Retry"/> a copy of <c>AicmoPipelineOptions.Retry</c>. <c>services.Configure&lt;NurtureServiceOptions&gt;(...)</c>
/// applies on top, for the nurture passes only. Validated on start; a failure names the option.
/// </remarks>
public sealed class NurtureServiceOptions
{
    /// <summary>Gets or sets whether email is only recorded, never sent (the nurturer's steps end <see cref="Domain.NurtureOutcome.DryRun"/>).</summary>
    /// <value>The default value is <see langword="false"/>.</value>
    public bool DryRun { get; set; }

    /// <summary>Gets or sets how many leads of one pass are sent to at once.</summary>
    /// <value>The default value is <see cref="Environment.ProcessorCount"/>. Must be between 1 and 1024.</value>
    public int MaxParallelism { get; set; } = Environment.ProcessorCount;

    /// <summary>Gets how a transient send error is retried within one pass; each attempt goes through the outbox claim.</summary>
    public RetryOptions Retry { get; } = new();

    /// <summary>Validates the options; every failure names the option.</summary>
    /// <param name="prefix">The path of these options.</param>
    /// <returns>The failures; empty when the options are valid.</returns>
    public IReadOnlyList<string> Validate(string prefix = nameof(NurtureServiceOptions))
    {
        var failures = new List<string>();
        if (MaxParallelism is < 1 or > 1024)
        {
            failures.Add($"{prefix}.{nameof(MaxParallelism)} must be between 1 and 1024 (was {MaxParallelism}).");
        }

        failures.AddRange(Retry.Validate($"{prefix}.{nameof(Retry)}"));
        return failures;
    }
}
