using Aicmo.Sdk.Domain;
using Aicmo.Sdk.Pipeline;
using Aicmo.Sdk.Scheduling;
using Aicmo.Sdk.Storage;

namespace Aicmo.Sdk.Hosting.Internal;

/// <summary>The <see cref="JobKinds.HarvestOnly"/> job: reads the sources and stores the new leads, stopping before enrichment.</summary>
internal sealed class HarvestOnlyJob(IServiceProvider services, IRunRepository runs, JobEventHub events) : PipelineRunJob(services, runs, events)
{
    public override string Kind => JobKinds.HarvestOnly;

    protected override PipelineRunRequest CreateRequest(JobSchedule schedule) =>
        new() { CampaignId = schedule.CampaignId, Kind = PipelineRunKind.HarvestOnly, MaxLeads = schedule.MaxLeads };
}
