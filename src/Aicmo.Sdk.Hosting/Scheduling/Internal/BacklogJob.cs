using Aicmo.Sdk.Domain;
using Aicmo.Sdk.Pipeline;
using Aicmo.Sdk.Scheduling;
using Aicmo.Sdk.Storage;

namespace Aicmo.Sdk.Hosting.Internal;

/// <summary>The <see cref="JobKinds.Backlog"/> job: the schedule's stages over the campaign's stored leads in its states (<see cref="JobSchedule.Backlog"/>).</summary>
internal sealed class BacklogJob(IServiceProvider services, IRunRepository runs, JobEventHub events) : PipelineRunJob(services, runs, events)
{
    public override string Kind => JobKinds.Backlog;

    protected override PipelineRunRequest CreateRequest(JobSchedule schedule) => new()
    {
        CampaignId = schedule.CampaignId,
        Kind = PipelineRunKind.Backlog,
        Backlog = schedule.Backlog ?? throw new InvalidOperationException($"Schedule {schedule.Id} is a {JobKinds.Backlog} job without Backlog: the stages to run and the states of the leads to take."),
        MaxLeads = schedule.MaxLeads,
    };
}
