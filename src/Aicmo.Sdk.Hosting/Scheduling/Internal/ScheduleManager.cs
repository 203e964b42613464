using Aicmo.Sdk.Scheduling;
using Aicmo.Sdk.Storage;

namespace Aicmo.Sdk.Hosting.Internal;

/// <summary>The <see cref="IScheduleManager"/> over the job store: every change is a compare-and-set, tried again when another writer got there first.</summary>
internal sealed class ScheduleManager(IJobStore store, IEnumerable<IScheduledJob> jobs) : IScheduleManager
{
    private readonly HashSet<string> _kinds = jobs.Select(j => j.Kind).ToHashSet(StringComparer.Ordinal);

    public async Task<JobSchedule> CreateAsync(JobSchedule schedule, CancellationToken cancellationToken = default)
    {
        ThrowIfInvalid(schedule);
        var now = await store.GetUtcNowAsync(cancellationToken).ConfigureAwait(false);
        var stored = WithNextFire(schedule, now) with { Version = 1, UpdatedAt = now };
        if (!await store.TryAddScheduleAsync(stored, cancellationToken).ConfigureAwait(false))
        {
            throw new InvalidOperationException($"A schedule with id '{schedule.Id}' exists.");
        }

        return stored;
    }

    public Task<JobSchedule?> UpdateAsync(JobSchedule schedule, CancellationToken cancellationToken = default)
    {
        ThrowIfInvalid(schedule);
        return ChangeAsync(schedule.Id, (_, now) => WithNextFire(schedule, now), cancellationToken);
    }

    public Task<JobSchedule?> PauseAsync(string scheduleId, CancellationToken cancellationToken = default) =>
        ChangeAsync(scheduleId, static (s, _) => s with { Enabled = false, NextFireAt = null }, cancellationToken);

    public Task<JobSchedule?> ResumeAsync(string scheduleId, CancellationToken cancellationToken = default) =>
        ChangeAsync(scheduleId, static (s, now) => s.Enabled ? s : WithNextFire(s with { Enabled = true }, now), cancellationToken);

    public async Task<bool> DeleteAsync(string scheduleId, CancellationToken cancellationToken = default) =>
        await store.DeleteScheduleAsync(scheduleId, cancellationToken).ConfigureAwait(false);

    public async Task<JobSchedule?> GetAsync(string scheduleId, CancellationToken cancellationToken = default) =>
        await store.GetScheduleAsync(scheduleId, cancellationToken).ConfigureAwait(false);

    public async Task<IReadOnlyList<JobSchedule>> ListAsync(string? campaignId = null, CancellationToken cancellationToken = default) =>
        await store.ListSchedulesAsync(campaignId, cancellationToken).ConfigureAwait(false);

    public IReadOnlyList<DateTimeOffset> Preview(JobSchedule schedule, DateTimeOffset after, int count)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        var cron = CronSchedule.Get(schedule.Cron, schedule.TimeZone);
        var list = new List<DateTimeOffset>(count);
        for (var at = after; list.Count < count && cron.NextAfter(at) is { } next; at = next)
        {
            list.Add(TimeZoneInfo.ConvertTime(next, cron.Zone));
        }

        return list;
    }

    public async Task<IReadOnlyList<JobResult>> HistoryAsync(JobResultQuery query, CancellationToken cancellationToken = default) =>
        await store.QueryResultsAsync(query, cancellationToken).ConfigureAwait(false);

    /// <summary>The schedule with its next occurrence after <paramref name="now"/>, or none when it is paused.</summary>
    internal static JobSchedule WithNextFire(JobSchedule schedule, DateTimeOffset now) =>
        schedule with { NextFireAt = schedule.Enabled ? CronSchedule.Get(schedule.Cron, schedule.TimeZone).NextAfter(now) : null };

    private void ThrowIfInvalid(JobSchedule schedule)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        var errors = ScheduleValidation.Validate(schedule, "schedule", _kinds);
        if (errors.Count > 0)
        {
            throw new ArgumentException(string.Join(" ", errors), nameof(schedule));
        }
    }

    private async Task<JobSchedule?> ChangeAsync(string scheduleId, Func<JobSchedule, DateTimeOffset, JobSchedule> change, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(scheduleId);
        while (true)
        {
            var stored = await store.GetScheduleAsync(scheduleId, cancellationToken).ConfigureAwait(false);
            if (stored is null)
            {
                return null;
            }

            var now = await store.GetUtcNowAsync(cancellationToken).ConfigureAwait(false);
            var changed = change(stored, now) with { Id = stored.Id, Version = stored.Version + 1, UpdatedAt = now };
            if (await store.UpdateScheduleAsync(changed, stored.Version, cancellationToken).ConfigureAwait(false))
            {
                return changed;
            }
        }
    }
}
