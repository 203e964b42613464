using Aicmo.Sdk.Nurture;
using Aicmo.Sdk.Scheduling;

namespace Aicmo.Sdk.Hosting.Internal;

/// <summary>The <see cref="JobKinds.Nurture"/> job: one <see cref="NurtureService.ProcessDueAsync"/> pass over the campaign.</summary>
internal sealed class NurtureJob(NurtureService nurture) : IScheduledJob
{
    public string Kind => JobKinds.Nurture;

    public async Task<JobOutcome> ExecuteAsync(ScheduledJobContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var pass = await nurture.ProcessDueAsync(context.Schedule.CampaignId, cancellationToken).ConfigureAwait(false);
        return new JobOutcome
        {
            Status = pass.Rejected > 0 ? JobStatus.CompletedWithErrors : JobStatus.Completed,
            LeadsProcessed = pass.Examined,
            Contacted = pass.Sent,
            Error = pass.Rejected > 0 ? $"{pass.Rejected} lead(s) could not be sent their step" : null,
        };
    }
}
