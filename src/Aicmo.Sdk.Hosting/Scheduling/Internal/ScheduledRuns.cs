using System.Collections.Concurrent;
using Aicmo.Sdk.Pipeline;

namespace Aicmo.Sdk.Hosting.Internal;

/// <summary>
/// The pipeline runs that this host's jobs are running, by (campaign, job kind), the key of their lease: where the scheduler
/// annotates a fire it skipped because of one, and what tells the <see cref="IScheduledRunObserver"/>s of a new one.
/// </summary>
internal sealed class ScheduledRuns(IEnumerable<IScheduledRunObserver> observers)
{
    private readonly ConcurrentDictionary<(string Campaign, string Kind), IPipelineRun> _live = new();
    private readonly IScheduledRunObserver[] _observers = [.. observers];

    public void Started(ScheduledJobContext job, IPipelineRun run)
    {
        _live[(job.Schedule.CampaignId, job.Schedule.JobKind)] = run;
        foreach (var observer in _observers)
        {
            observer.OnRunStarted(job, run);
        }
    }

    public void Ended(ScheduledJobContext job, IPipelineRun run) =>
        _live.TryRemove(new KeyValuePair<(string, string), IPipelineRun>((job.Schedule.CampaignId, job.Schedule.JobKind), run));

    /// <summary>Adds <paramref name="jobEvent"/> to the live run of its campaign and job kind on this host, if there is one.</summary>
    public void AnnotateLive(JobEvent jobEvent)
    {
        if (_live.TryGetValue((jobEvent.CampaignId, jobEvent.JobKind), out var run))
        {
            run.Annotate(new ScheduledJobEvent(run.RunId, jobEvent.Timestamp, jobEvent));
        }
    }
}
