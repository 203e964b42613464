using Aicmo.Sdk.Domain;
using Aicmo.Sdk.Pipeline;
using Aicmo.Sdk.Scheduling;

namespace Aicmo.Sdk.Hosting;

/// <summary>What one run of an <see cref="IScheduledJob"/> did; the scheduler records it as a <see cref="JobResult"/>.</summary>
public sealed record JobOutcome
{
    /// <summary>Gets how the job ended: <see cref="JobStatus.Completed"/>, <see cref="JobStatus.CompletedWithErrors"/>, <see cref="JobStatus.Failed"/> or <see cref="JobStatus.Cancelled"/>.</summary>
    /// <value>The default value is <see cref="JobStatus.Completed"/>.</value>
    public JobStatus Status { get; init; } = JobStatus.Completed;

    /// <summary>Gets the pipeline run the job ran, if any.</summary>
    public Guid? RunId { get; init; }

    /// <summary>Gets the leads the job handled.</summary>
    public long LeadsProcessed { get; init; }

    /// <summary>Gets the leads that passed qualification.</summary>
    public long Qualified { get; init; }

    /// <summary>Gets the leads contacted.</summary>
    public long Contacted { get; init; }

    /// <summary>Gets the error, if any.</summary>
    public string? Error { get; init; }

    /// <summary>Gets the outcome of a job that ran a pipeline run.</summary>
    /// <param name="result">The run's result.</param>
    /// <returns>The outcome: the run's status, the leads it took (harvested, or selected by a backlog run), routed and contacted
    /// leads, and its first error.</returns>
    public static JobOutcome FromRun(PipelineRunResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return new JobOutcome
        {
            Status = result.Status switch
            {
                PipelineRunStatus.Completed => JobStatus.Completed,
                PipelineRunStatus.CompletedWithErrors => JobStatus.CompletedWithErrors,
                PipelineRunStatus.Cancelled => JobStatus.Cancelled,
                _ => JobStatus.Failed,
            },
            RunId = result.RunId,
            LeadsProcessed = result.Harvested + result.Selected,
            Qualified = result.Routed + result.Contacted,
            Contacted = result.Contacted,
            Error = result.Errors.Count > 0 ? $"{result.Errors[0].Stage}: {result.Errors[0].ErrorType}: {result.Errors[0].Message}" : null,
        };
    }
}
