using Aicmo.Sdk.Domain;
using Aicmo.Sdk.Pipeline;
using Aicmo.Sdk.Scheduling;

namespace Aicmo.Sdk.Hosting.Internal;

/// <summary>The rules a schedule must meet, shared by the options validator and the schedule manager.</summary>
internal static class ScheduleValidation
{
    /// <summary>Returns what is wrong with <paramref name="schedule"/>, each message naming the property under <paramref name="path"/>.</summary>
    public static List<string> Validate(JobSchedule? schedule, string path, IReadOnlyCollection<string>? knownKinds)
    {
        var errors = new List<string>();
        if (schedule is null)
        {
            errors.Add($"{path} is null.");
            return errors;
        }

        if (string.IsNullOrWhiteSpace(schedule.Id))
        {
            errors.Add($"{path}.{nameof(JobSchedule.Id)} is required.");
        }

        if (string.IsNullOrWhiteSpace(schedule.CampaignId))
        {
            errors.Add($"{path}.{nameof(JobSchedule.CampaignId)} is required.");
        }

        if (string.IsNullOrWhiteSpace(schedule.JobKind))
        {
            errors.Add($"{path}.{nameof(JobSchedule.JobKind)} is required.");
        }
        else if (knownKinds is not null && !knownKinds.Contains(schedule.JobKind))
        {
            errors.Add($"{path}.{nameof(JobSchedule.JobKind)} '{schedule.JobKind}' is not a registered job kind ({string.Join(", ", knownKinds)}).");
        }

        if (CronSchedule.Validate(schedule.Cron, schedule.TimeZone) is { } cronError)
        {
            errors.Add($"{path}.{nameof(JobSchedule.Cron)}/{nameof(JobSchedule.TimeZone)}: {cronError}");
        }

        if (schedule.MisfireThreshold <= TimeSpan.Zero)
        {
            errors.Add($"{path}.{nameof(JobSchedule.MisfireThreshold)} must be positive.");
        }

        if (!Enum.IsDefined(schedule.Misfire))
        {
            errors.Add($"{path}.{nameof(JobSchedule.Misfire)} is not a misfire policy.");
        }

        if (schedule.MaxCatchUp is < 1 or > 1000)
        {
            errors.Add($"{path}.{nameof(JobSchedule.MaxCatchUp)} must be between 1 and 1000.");
        }

        if (schedule.MaxLeads is <= 0)
        {
            errors.Add($"{path}.{nameof(JobSchedule.MaxLeads)} must be positive when set.");
        }

        if (schedule.JobKind == JobKinds.Backlog)
        {
            if (schedule.Backlog is null)
            {
                errors.Add($"{path}.{nameof(JobSchedule.Backlog)} is required for a {JobKinds.Backlog} job: the stages to run and the states of the leads to take.");
            }
            else
            {
                // The shape of the selection; the stage names are checked against the pipeline when the job fires.
                try
                {
                    new PipelineRunRequest { CampaignId = "-", Kind = PipelineRunKind.Backlog, Backlog = schedule.Backlog }.Validate();
                }
                catch (ArgumentException ex)
                {
                    errors.Add($"{path}.{ex.ParamName}: {ex.Message.Split(" (Parameter", 2)[0]}");
                }
            }
        }
        else if (schedule.Backlog is not null)
        {
            errors.Add($"{path}.{nameof(JobSchedule.Backlog)} applies only to a {JobKinds.Backlog} job.");
        }

        var retry = schedule.Retry;
        if (retry is null)
        {
            errors.Add($"{path}.{nameof(JobSchedule.Retry)} is required.");
        }
        else
        {
            if (retry.MaxRetries is < 0 or > 100)
            {
                errors.Add($"{path}.{nameof(JobSchedule.Retry)}.{nameof(JobRetryPolicy.MaxRetries)} must be between 0 and 100.");
            }

            if (retry.BaseDelay <= TimeSpan.Zero)
            {
                errors.Add($"{path}.{nameof(JobSchedule.Retry)}.{nameof(JobRetryPolicy.BaseDelay)} must be positive.");
            }

            if (retry.MaxDelay < retry.BaseDelay)
            {
                errors.Add($"{path}.{nameof(JobSchedule.Retry)}.{nameof(JobRetryPolicy.MaxDelay)} must be at least {nameof(JobRetryPolicy.BaseDelay)}.");
            }
        }

        return errors;
    }
}
