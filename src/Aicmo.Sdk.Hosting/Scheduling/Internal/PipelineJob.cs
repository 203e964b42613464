using Aicmo.Sdk.Pipeline;
using Aicmo.Sdk.Scheduling;
using Aicmo.Sdk.Storage;

namespace Aicmo.Sdk.Hosting.Internal;

/// <summary>
/// The <see cref="JobKinds.Pipeline"/> job: a full run of the campaign (which takes over the campaign's cancelled and failed full
/// runs when <see cref="AicmoPipelineOptions.ResumeInterruptedRuns"/> is on), or the resumption of one a dead host left.
/// </summary>
internal sealed class PipelineJob(IServiceProvider services, IRunRepository runs, JobEventHub events) : PipelineRunJob(services, runs, events)
{
    public override string Kind => JobKinds.Pipeline;

    protected override PipelineRunRequest CreateRequest(JobSchedule schedule) =>
        new() { CampaignId = schedule.CampaignId, MaxLeads = schedule.MaxLeads };
}
