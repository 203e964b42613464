using Aicmo.Sdk.Scheduling;
using Microsoft.Extensions.Options;

namespace Aicmo.Sdk.Hosting.Internal;

/// <summary>The rules across options of <see cref="SchedulerOptions"/>, and every schedule it defines.</summary>
internal sealed class SchedulerOptionsValidator(IEnumerable<IScheduledJob> jobs) : IValidateOptions<SchedulerOptions>
{
    public ValidateOptionsResult Validate(string? name, SchedulerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<string>();
        if (options.LeaseRenewInterval >= options.LeaseDuration)
        {
            errors.Add($"{nameof(SchedulerOptions.LeaseRenewInterval)} ({options.LeaseRenewInterval}) must be shorter than {nameof(SchedulerOptions.LeaseDuration)} ({options.LeaseDuration}).");
        }

        if (options.NurturePass && CronSchedule.Validate(options.NurturePassCron, "UTC") is { } cronError)
        {
            errors.Add($"{nameof(SchedulerOptions.NurturePassCron)}: {cronError}");
        }

        var kinds = jobs.Select(j => j.Kind).ToHashSet(StringComparer.Ordinal);
        var ids = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < options.Schedules.Count; i++)
        {
            var schedule = options.Schedules[i];
            var path = $"{nameof(SchedulerOptions.Schedules)}[{i}]";
            errors.AddRange(ScheduleValidation.Validate(schedule, path, kinds));
            if (schedule is { Id.Length: > 0 } && !ids.Add(schedule.Id))
            {
                errors.Add($"{path}.{nameof(JobSchedule.Id)} '{schedule.Id}' is used by another schedule.");
            }
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
