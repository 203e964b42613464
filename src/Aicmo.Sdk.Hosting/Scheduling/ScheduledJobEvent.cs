using Aicmo.Sdk.Pipeline;

namespace Aicmo.Sdk.Hosting;

/// <summary>
/// A scheduled job's event in the stream of a pipeline run (<see cref="IPipelineRun.Events"/>): the <see cref="JobStarted"/> of the
/// job that runs it, right after <see cref="RunStarted"/>, and a <see cref="JobSkipped"/> for each later fire of the same campaign
/// and job kind that this run, still live on this host, caused to be skipped.
/// </summary>
/// <remarks>
/// Misfires, planned retries and completions belong to no live run (they happen before a run starts or after its stream has
/// ended); <see cref="IJobEventStream"/> and the job history carry them.
/// </remarks>
/// <param name="RunId">The run.</param>
/// <param name="Timestamp">When the job event happened, by the job store's clock.</param>
/// <param name="Job">The job event.</param>
public sealed record ScheduledJobEvent(Guid RunId, DateTimeOffset Timestamp, JobEvent Job) : RunAnnotation(RunId, Timestamp);
